namespace Kcc.Workbench.Tests.Support;

/// <summary>
/// Files the project shares with its sister repositories (the government's UPL, for instance). They live in
/// <c>shared/data</c> beside the repository and are never copied into it.
/// </summary>
public static class SharedData
{
    public static string Path(string fileName)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.Combine(folder.FullName, "shared", "data", fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"shared/data/{fileName} not found in any folder above {AppContext.BaseDirectory}. Check out the shared folder beside the repository.", fileName);
    }
}
