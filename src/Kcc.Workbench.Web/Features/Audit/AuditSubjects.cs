namespace Kcc.Workbench.Web.Features.Audit;

/// <summary>The entity types audit entries name (stored values; the audit page shows them in words).</summary>
public static class AuditSubjects
{
    public const string Party = "Party";
    public const string Contact = "Contact";
    public const string Task = "InterneTaak";
    public const string Article = "Article";
    public const string ArticleFeedback = "ArticleFeedback";
    public const string ServiceNorm = "ServiceNorm";
    public const string RoutingRule = "RoutingRule";
    public const string Retention = "Retention";
    public const string Topic = "Topic";
    public const string Backup = "Backup";
    public const string Conversation = "Conversation";
}
