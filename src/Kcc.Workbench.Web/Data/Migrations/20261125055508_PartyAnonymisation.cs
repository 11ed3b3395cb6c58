using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kcc.Workbench.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class PartyAnonymisation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AnonymisedAt",
                table: "Parties",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AnonymisedAt",
                table: "Parties");
        }
    }
}
