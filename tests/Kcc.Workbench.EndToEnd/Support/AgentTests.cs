namespace Kcc.Workbench.EndToEnd.Support;

/// <summary>
/// Tests that work as fo.demo run one after the other: an agent has one contact draft, and a form opened by one test
/// would otherwise restore another test's unsaved contact.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentTests
{
    public const string Name = "fo.demo";
}
