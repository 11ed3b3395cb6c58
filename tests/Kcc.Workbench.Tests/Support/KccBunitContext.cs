using Bunit;
using Kcc.Workbench.Web.Features.Account;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Kcc.Workbench.Tests.Support;

/// <summary>
/// bUnit with MudBlazor set up and the real handlers on a real SQLite file (via TestApp), rendered as an
/// interactive server circuit would render it.
/// </summary>
public abstract class KccBunitContext : BunitContext, IAsyncLifetime
{
    protected TestApp App { get; private set; } = default!;

    protected Employee Agent { get; private set; } = default!;

    protected virtual string Role => Kcc.Workbench.Web.Infrastructure.Roles.Frontoffice;

    public async ValueTask InitializeAsync()
    {
        App = await TestApp.CreateAsync();
        Agent = await App.SignInAsAsync(Role);
        App.AddTo(Services);
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        Popovers = Render<MudPopoverProvider>();
    }

    /// <summary>Where MudBlazor renders the lists of selects and autocompletes.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
