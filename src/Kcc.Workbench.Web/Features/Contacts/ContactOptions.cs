namespace Kcc.Workbench.Web.Features.Contacts;

/// <summary>Settings under Kcc:Contacten in appsettings.json.</summary>
public sealed class ContactOptions
{
    /// <summary>A question on the same topic by the same party within this many calendar days is a herhaalcontact.</summary>
    public int RepeatWindowDays { get; set; } = 7;

    /// <summary>How far back the contact form shows the party's earlier contacts.</summary>
    public int HistoryDays { get; set; } = 30;
}
