using System.Globalization;
using Kcc.Workbench.Web.Components;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Features.Backups;
using Kcc.Workbench.Web.Features.Dashboard;
using Kcc.Workbench.Web.Features.Inbox;
using Kcc.Workbench.Web.Features.Integrations;
using Kcc.Workbench.Web.Features.Klantinteracties;
using Kcc.Workbench.Web.Features.Privacy;
using Kcc.Workbench.Web.Features.KnowledgeBase;
using Kcc.Workbench.Web.Infrastructure;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

CultureInfo.DefaultThreadCurrentCulture = DutchFormat.Culture;
CultureInfo.DefaultThreadCurrentUICulture = DutchFormat.Culture;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", DatabaseStartup.EfCoreLogFilter);
builder.Configuration.UseAppSettingsBesideBinaries(builder.Environment.ContentRootPath);
if (builder.Configuration["restore"] is { Length: > 0 } backupToRestore)
{
    return await RestoreBackup.RunAsync(backupToRestore, builder.Configuration, builder.Environment.ContentRootPath, Console.Out);
}

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddKccDatabase(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddKccIdentity();
builder.Services.AddKccOidc(builder.Configuration);
// Sign-in cookies and antiforgery tokens stay valid across restarts: keys live beside the database.
builder.Services.AddKccDataProtection(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddKccMediator(typeof(Program).Assembly);
builder.Services.AddKccFeatures(builder.Configuration);
builder.Services.AddDemoData(builder.Configuration);
builder.Services.AddKccHealthChecks();
builder.Services.AddSignInRateLimit(builder.Configuration);
builder.Services.AddKccIntegrations(builder.Configuration);
builder.Services.AddKlantinteracties();
builder.Services.AddKccApiInput();
builder.Services.AddKccForwardedHeaders(builder.Configuration);
builder.Services.AddHostedService<RetentionJob>();
// Give in-flight saves time to finish when the service is stopped.
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
builder.Services.AddKnowledgeBaseApi(builder.Configuration);

var app = builder.Build();

if (!await app.InitializeDatabaseAsync())
{
    await app.DisposeAsync(); // flushes the one log line that says why
    return 2;
}

app.UseKccForwardedHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/fout", createScopeForErrors: true);
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseKccSecurityHeaders(app.Services.GetRequiredService<IOptions<OidcOptions>>().Value.FormActionSources());
app.UseKccApiErrors();
app.UseRequestLocalization("nl-NL");
// Browsers get a Dutch page for 404s; API callers keep the bare status code and problem details.
app.UseWhen(context => !ApiErrors.IsApi(context), pages => pages.UseStatusCodePagesWithReExecute("/niet-gevonden", createScopeForStatusCodePages: true));
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseRateLimiter();
app.MapStaticAssets();
// No per-message deflate on the circuit's WebSocket: it costs the server CPU on every render and every event, and the
// agents' screens run on the municipality's own network. (Our own CSP already forbids framing, which Blazor's
// compression setting would otherwise add to protect the compressed stream.)
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.DisableWebSocketCompression = true);
app.MapAccountEndpoints();
app.MapExternalLoginEndpoints();
app.MapKccHealthEndpoints();
app.MapContactsApi();
app.MapKlantinteracties();
app.MapPrivacyEndpoints();
app.MapAuditEndpoints();
app.MapKnowledgeBaseApi();
app.MapDashboardExports();
app.MapInbox();

app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("Kcc.Workbench draait op {Urls}", string.Join(", ", app.Urls)));

await app.RunAsync();
return 0;

/// <summary>Entry point; public so WebApplicationFactory can start the app in tests.</summary>
public partial class Program;
