using Kcc.Workbench.Web.Features.Contacts;
using Kcc.Workbench.Web.Features.Teams;
using Microsoft.AspNetCore.Identity;

namespace Kcc.Workbench.Web.Features.Account;

/// <summary>A medewerker: an Identity account with the name shown in the workbench and personal preferences.</summary>
public class Employee : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The channel a new contact form starts with; remembered from the agent's last saved contact.</summary>
    public Channel? DefaultChannel { get; set; }

    public List<TeamMembership> Teams { get; } = [];
}
