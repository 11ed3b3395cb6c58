using Kcc.Workbench.Web.Infrastructure;
using Microsoft.AspNetCore.Components;

namespace Kcc.Workbench.Web.Features.Dashboard;

/// <summary>The dashboard's pages read one filter from the address; this is where it is read.</summary>
public abstract class DashboardPageBase : ComponentBase
{
    [Inject] private TimeProvider Clock { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "van")] public string? From { get; set; }
    [SupplyParameterFromQuery(Name = "tot")] public string? To { get; set; }
    [SupplyParameterFromQuery(Name = "kanaal")] public string? ChannelParameter { get; set; }
    [SupplyParameterFromQuery(Name = "team")] public string? Team { get; set; }
    [SupplyParameterFromQuery(Name = "medewerker")] public string? Agent { get; set; }
    [SupplyParameterFromQuery(Name = "onderwerp")] public string? Topic { get; set; }
    [SupplyParameterFromQuery(Name = "per")] public string? Per { get; set; }

    protected DateOnly Today => DateOnly.FromDateTime(DutchFormat.ToLocal(Clock.GetUtcNow()));

    /// <summary>The filter in the address; what is missing or unreadable falls back to this month.</summary>
    protected DashboardFilter FilterFromAddress() => DashboardFilter.FromQuery(key => key switch
    {
        "van" => From,
        "tot" => To,
        "kanaal" => ChannelParameter,
        "team" => Team,
        "medewerker" => Agent,
        "onderwerp" => Topic,
        "per" => Per,
        _ => null,
    }, Today);
}
