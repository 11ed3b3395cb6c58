using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Kcc.Workbench.Web.Infrastructure;

public static class SharedAppSettings
{
    /// <summary>
    /// appsettings.json lives at the repository root and is linked into the build output. Under `dotnet run` the
    /// content root is the project folder, which has no copy, so read it from beside the binaries instead,
    /// at the same place in the configuration order (environment variables and --urls still win).
    /// </summary>
    public static void UseAppSettingsBesideBinaries(this ConfigurationManager configuration, string contentRoot)
    {
        if (File.Exists(Path.Combine(contentRoot, "appsettings.json")))
        {
            return;
        }

        var sources = (IList<IConfigurationSource>)configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: "appsettings.json" } json)
            {
                sources[i] = new JsonConfigurationSource
                {
                    Path = "appsettings.json",
                    Optional = false,
                    ReloadOnChange = json.ReloadOnChange,
                    FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
                };
                return;
            }
        }
    }
}
