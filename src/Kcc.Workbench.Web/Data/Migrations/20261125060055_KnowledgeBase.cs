using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kcc.Workbench.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class KnowledgeBase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            var sqlite = migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite";
            if (sqlite)
            {
                migrationBuilder.Sql(global::Kcc.Workbench.Web.Features.KnowledgeBase.KnowledgeBaseSql.Create);

                // SQLite adds a nullable column with its foreign key in place. EF's AddForeignKey would rebuild Questions,
                // which needs "PRAGMA foreign_keys = 0" outside the migration's transaction (EF warning 20410): a crash
                // during that rebuild would leave the migration half applied. This way the whole migration is one transaction.
                migrationBuilder.Sql("""
                    ALTER TABLE "Questions" ADD COLUMN "ArticleId" INTEGER NULL
                        CONSTRAINT "FK_Questions_Articles_ArticleId" REFERENCES "Articles" ("Id") ON DELETE RESTRICT;
                    """);
                migrationBuilder.Sql("""
                    ALTER TABLE "Questions" ADD COLUMN "ArticleVersionId" INTEGER NULL
                        CONSTRAINT "FK_Questions_ArticleVersions_ArticleVersionId" REFERENCES "ArticleVersions" ("Id") ON DELETE RESTRICT;
                    """);
            }
            else
            {
                migrationBuilder.AddColumn<int>(
                    name: "ArticleId",
                    table: "Questions",
                    type: "INTEGER",
                    nullable: true);

                migrationBuilder.AddColumn<int>(
                    name: "ArticleVersionId",
                    table: "Questions",
                    type: "INTEGER",
                    nullable: true);
            }

            migrationBuilder.CreateTable(
                name: "Articles",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TopicId = table.Column<int>(type: "INTEGER", nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ReviewBefore = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    QuestionVariants = table.Column<string>(type: "TEXT", nullable: false),
                    Keywords = table.Column<string>(type: "TEXT", nullable: false),
                    WatIsHet = table.Column<string>(type: "TEXT", nullable: true),
                    Voorwaarden = table.Column<string>(type: "TEXT", nullable: true),
                    WatNeemtUMee = table.Column<string>(type: "TEXT", nullable: true),
                    Kosten = table.Column<string>(type: "TEXT", nullable: true),
                    HoeLangDuurtHet = table.Column<string>(type: "TEXT", nullable: true),
                    Aanvragen = table.Column<string>(type: "TEXT", nullable: true),
                    ShortAnswer = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    EmailText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    InternalNote = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Links = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CurrentVersionId = table.Column<int>(type: "INTEGER", nullable: true),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    OwnerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Articles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Articles_Teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "Teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Articles_Topics_TopicId",
                        column: x => x.TopicId,
                        principalTable: "Topics",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "KnowledgeGaps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Query = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Channel = table.Column<int>(type: "INTEGER", nullable: true),
                    TopicId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeGaps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ArticleFeedback",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: false),
                    ArticleVersionId = table.Column<int>(type: "INTEGER", nullable: true),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AgentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Reply = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArticleFeedback", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ArticleFeedback_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ArticleVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Snapshot = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArticleVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ArticleVersions_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Questions_ArticleId",
                table: "Questions",
                column: "ArticleId");

            migrationBuilder.CreateIndex(
                name: "IX_Questions_ArticleVersionId",
                table: "Questions",
                column: "ArticleVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_ArticleFeedback_ArticleId_ClosedAt",
                table: "ArticleFeedback",
                columns: new[] { "ArticleId", "ClosedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Articles_ExternalId",
                table: "Articles",
                column: "ExternalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Articles_Status_ReviewBefore",
                table: "Articles",
                columns: new[] { "Status", "ReviewBefore" });

            migrationBuilder.CreateIndex(
                name: "IX_Articles_TeamId",
                table: "Articles",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_TopicId",
                table: "Articles",
                column: "TopicId");

            migrationBuilder.CreateIndex(
                name: "IX_ArticleVersions_ArticleId_Number",
                table: "ArticleVersions",
                columns: new[] { "ArticleId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeGaps_CreatedAt",
                table: "KnowledgeGaps",
                column: "CreatedAt");

            if (!sqlite)
            {
                migrationBuilder.AddForeignKey(
                    name: "FK_Questions_ArticleVersions_ArticleVersionId",
                    table: "Questions",
                    column: "ArticleVersionId",
                    principalTable: "ArticleVersions",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Restrict);

                migrationBuilder.AddForeignKey(
                    name: "FK_Questions_Articles_ArticleId",
                    table: "Questions",
                    column: "ArticleId",
                    principalTable: "Articles",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Restrict);
            }

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql(global::Kcc.Workbench.Web.Features.KnowledgeBase.KnowledgeBaseSql.Drop);
            }

            migrationBuilder.DropForeignKey(
                name: "FK_Questions_ArticleVersions_ArticleVersionId",
                table: "Questions");

            migrationBuilder.DropForeignKey(
                name: "FK_Questions_Articles_ArticleId",
                table: "Questions");

            migrationBuilder.DropTable(
                name: "ArticleFeedback");

            migrationBuilder.DropTable(
                name: "ArticleVersions");

            migrationBuilder.DropTable(
                name: "KnowledgeGaps");

            migrationBuilder.DropTable(
                name: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Questions_ArticleId",
                table: "Questions");

            migrationBuilder.DropIndex(
                name: "IX_Questions_ArticleVersionId",
                table: "Questions");

            migrationBuilder.DropColumn(
                name: "ArticleId",
                table: "Questions");

            migrationBuilder.DropColumn(
                name: "ArticleVersionId",
                table: "Questions");
        }
    }
}
