namespace Kcc.Workbench.Web.Features.Dashboard;

/// <summary>One line of a <see cref="LineChart"/>: null values are gaps. <paramref name="Key"/> names it in the markup.</summary>
public sealed record LineSeries(string Key, string Name, IReadOnlyList<double?> Values, string Color, string? Dash = null, double Width = 2, bool Markers = true);
