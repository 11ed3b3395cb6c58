namespace Kcc.Workbench.EndToEnd.Support;

/// <summary>
/// Tests that work as fo.demo run one after the other: the contact form keeps one draft per agent on the server,
/// so two browsers of the same agent at once would restore each other's half-typed contact.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FrontOfficeAccount
{
    public const string Name = "fo.demo";
}
