using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kcc.Workbench.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ki_UpstreamOutboxAndRegisterSource : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "RegisterCheckedAt",
                table: "Parties",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RegisterSource",
                table: "Parties",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "UpstreamDeliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ContactId = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Progress = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UpstreamDeliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UpstreamDeliveries_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UpstreamDeliveries_ContactId",
                table: "UpstreamDeliveries",
                column: "ContactId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UpstreamDeliveries_Status_NextAttemptAt",
                table: "UpstreamDeliveries",
                columns: new[] { "Status", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UpstreamDeliveries");

            migrationBuilder.DropColumn(
                name: "RegisterCheckedAt",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "RegisterSource",
                table: "Parties");
        }
    }
}
