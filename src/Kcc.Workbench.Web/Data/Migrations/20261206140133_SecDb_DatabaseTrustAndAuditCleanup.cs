using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kcc.Workbench.Web.Data.Migrations
{
    /// <summary>
    /// The health check's write probe table, and an audit log that keeps no more than it must: routing steps lose the
    /// texts they copied (results, handover reasons, notes, call summaries), article entries lose the title, and the
    /// repeated "Klantbeeld bekeken" entries one view used to write (same employee, same party, within 10 seconds of
    /// the one before) are folded into the first. Not reversible: the removed text is gone on purpose.
    /// </summary>
    public partial class SecDb_DatabaseTrustAndAuditCleanup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HealthProbes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CheckedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HealthProbes", x => x.Id);
                });

            migrationBuilder.Sql("UPDATE AuditEntries SET Summary = '' WHERE EntityType = 'InterneTaak';");
            migrationBuilder.Sql("""
                UPDATE AuditEntries SET Summary = 'V' || substr(Summary, instr(Summary, ', versie ') + 3)
                WHERE EntityType = 'Article' AND instr(Summary, ', versie ') > 0;
                """);
            migrationBuilder.Sql("""
                DELETE FROM AuditEntries
                WHERE Action = 'betrokkene.bekeken' AND EXISTS (
                    SELECT 1 FROM AuditEntries AS earlier
                    WHERE earlier.Action = AuditEntries.Action AND earlier.EntityType = AuditEntries.EntityType
                      AND earlier.EntityId = AuditEntries.EntityId AND earlier.ActorId = AuditEntries.ActorId
                      AND earlier.Summary = AuditEntries.Summary AND earlier.Id < AuditEntries.Id
                      AND julianday(AuditEntries.At) - julianday(earlier.At) < 10.0 / 86400);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HealthProbes");
        }
    }
}
