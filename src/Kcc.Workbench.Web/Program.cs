using System.Globalization;
using Kcc.Workbench.Web.Components;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Data.DemoData;
using Kcc.Workbench.Web.Features.Account;
using Kcc.Workbench.Web.Infrastructure;
using MudBlazor.Services;

CultureInfo.DefaultThreadCurrentCulture = DutchFormat.Culture;
CultureInfo.DefaultThreadCurrentUICulture = DutchFormat.Culture;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.UseAppSettingsBesideBinaries(builder.Environment.ContentRootPath);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddKccDatabase(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddKccIdentity();
builder.Services.AddKccMediator(typeof(Program).Assembly);
builder.Services.AddKccFeatures(builder.Configuration);
builder.Services.AddDemoData(builder.Configuration);

var app = builder.Build();

await app.InitializeDatabaseAsync();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/fout", createScopeForErrors: true);
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseRequestLocalization("nl-NL");
app.UseStatusCodePagesWithReExecute("/niet-gevonden", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAccountEndpoints();

app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("Kcc.Workbench draait op {Urls}", string.Join(", ", app.Urls)));

await app.RunAsync();

/// <summary>Entry point; public so WebApplicationFactory can start the app in tests.</summary>
public partial class Program;
