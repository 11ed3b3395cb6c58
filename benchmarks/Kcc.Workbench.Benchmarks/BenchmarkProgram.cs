using System.Globalization;
using Kcc.Workbench.Web.Infrastructure;

namespace Kcc.Workbench.Benchmarks;

/// <summary>
/// dotnet run -c Release --project benchmarks/Kcc.Workbench.Benchmarks -- &lt;verb&gt; [options]
/// One verb per benchmark (contacts now; search and dashboard later), each printing its own figures.
/// Not a top-level-statements file: the web project already has a global Program class.
/// </summary>
internal static class BenchmarkProgram
{
    private const string Usage = """
        Usage: dotnet run -c Release --project benchmarks/Kcc.Workbench.Benchmarks -- <verb> [options]

        Verbs:
          contacts    Log contacts through IMediator.Send(LogContact.Command): 1 agent sequentially, then N agents concurrently.
            --count N        contacts per measured run (default 10000)
            --agents N       concurrent agents in the concurrent scenario (default 50)
            --runs N         runs per scenario, each on a fresh database (default 2)
            --warmup N       warm-up contacts before each measured run (default 500)
            --parties N      parties in the database (default 5000)
            --scenario S     single | concurrent | both (default both)
            --variant V,...  app (default: the app as shipped) or benchmark-only alternatives, or "all":
        {variants}
            --profile        also print where the database time goes (statement, BEGIN, COMMIT, lock hold)
            --servers N      app servers on the one PostgreSQL database (KCC_BENCH_PG), agents spread over them (default 1)
        """;

    public static async Task<int> Main(string[] args)
    {
        // As the app does in Program.cs; figures are printed with the invariant culture.
        CultureInfo.DefaultThreadCurrentCulture = DutchFormat.Culture;
        CultureInfo.DefaultThreadCurrentUICulture = DutchFormat.Culture;
        var usage = Usage.Replace("{variants}",
            string.Join(Environment.NewLine, Variant.All.Select(v => $"                   {v.Name,-14} {v.Description}")), StringComparison.Ordinal);

        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            return args[0] switch
            {
                "contacts" => await ContactsBenchmark.RunAsync(ParseContacts(args[1..]), Console.Out),
                _ => throw new ArgumentException($"Unknown verb '{args[0]}'."),
            };
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(usage);
            return 2;
        }
    }

    private static ContactsOptions ParseContacts(string[] args)
    {
        var options = new ContactsOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number()
            {
                var name = args[i];
                var text = Value();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new ArgumentException($"{name} needs a positive number, not '{text}'.");
            }

            options = args[i] switch
            {
                "--count" => options with { Count = Number() },
                "--agents" => options with { Agents = Number() },
                "--runs" => options with { Runs = Number() },
                "--warmup" => options with { Warmup = Number() },
                "--parties" => options with { Parties = Number() },
                "--servers" => options with { Servers = Number() },
                "--scenario" => options with
                {
                    Scenarios = Value() switch
                    {
                        "single" => ["single"],
                        "concurrent" => ["concurrent"],
                        "both" => ["single", "concurrent"],
                        var s => throw new ArgumentException($"Unknown scenario '{s}'."),
                    },
                },
                "--variant" or "--variants" => options with
                {
                    Variants = Value() is var v && v == "all"
                        ? Variant.All
                        : v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Variant.Find).ToList(),
                },
                "--profile" => options with { Profile = true },
                var unknown => throw new ArgumentException($"Unknown option '{unknown}'."),
            };
        }

        return options;
    }
}
