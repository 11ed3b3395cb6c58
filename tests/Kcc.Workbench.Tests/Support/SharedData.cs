namespace Kcc.Workbench.Tests.Support;

/// <summary>
/// Public data files the tests read (the government's UPL, the demo kennisbank's product list). They live in the
/// repository under <c>tests/Kcc.Workbench.Tests/TestData</c> (see its README for source and licence) and are copied
/// next to the test assembly, so a clone runs its tests without anything beside it.
/// </summary>
public static class SharedData
{
    public static string Path(string fileName)
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", fileName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"TestData/{fileName} is missing next to the test assembly ({AppContext.BaseDirectory}).", fileName);
    }
}
