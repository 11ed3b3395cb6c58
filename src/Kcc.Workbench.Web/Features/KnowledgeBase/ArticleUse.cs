namespace Kcc.Workbench.Web.Features.KnowledgeBase;

/// <summary>
/// Which article, in which version, an agent's answer came from: "Antwoord uit kennisbank: Paspoort aanvragen (versie 3 van 2 mrt 2026)".
/// Kept in the contact form's draft and shown on the contact.
/// </summary>
public sealed record ArticleUse(int ArticleId, int VersionId, int VersionNumber, DateTime VersionDate, string Title)
{
    public string Describe() => $"{Title} (versie {VersionNumber} van {Infrastructure.DutchFormat.Day(VersionDate)})";
}
