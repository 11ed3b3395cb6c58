using System.Globalization;
using Kcc.Workbench.Web.Features.Contacts;

namespace Kcc.Workbench.Web.Features.Dashboard;

/// <summary>
/// One meaning per colour on the whole dashboard. Each channel has its own hue (after Okabe and Ito, darkened to at
/// least 3:1 against white) in every chart, none of them the red of "te laat" or "onder de norm"; totals and norms are neutral greys and differ by line style; a previous
/// period is its channel's hue, lighter. The heatmap counts on one neutral scale, so it never borrows a channel's hue.
/// </summary>
public static class ChartPalette
{
    private static readonly Dictionary<Channel, string> Channels = new()
    {
        [Channel.Telefoon] = "#0072B2",
        [Channel.Balie] = "#D55E00",
        [Channel.Email] = "#007A5A",
        [Channel.WhatsApp] = "#AD4E8A",
        [Channel.Post] = "#8C6D00",
        [Channel.Website] = "#6A3D9A",
        [Channel.Chat] = "#6D4C41",
    };

    /// <summary>The figure itself (verified first time right): solid.</summary>
    public const string Figure = "#1F1F1F";

    /// <summary>The norm: a dotted grey reference line.</summary>
    public const string Norm = "#6E6E6E";

    public const string NormDash = "2 4";

    /// <summary>A second reading of the same figure (registered first time right): dashed, same ink.</summary>
    public const string SecondaryDash = "7 4";

    /// <summary>The previous period: the channel's hue at this opacity, outlined in the full hue.</summary>
    public const double PreviousOpacity = 0.3;

    /// <summary>Heatmap: from white (0) to this dark slate (the busiest hour).</summary>
    private static readonly (int R, int G, int B) HeatmapDark = (0x1F, 0x2D, 0x3D);

    public static string Of(Channel channel) => Channels.TryGetValue(channel, out var colour) ? colour : Figure;

    /// <summary>The background of a heatmap cell and the text colour (black or white) that reads best on it.</summary>
    public static (string Background, string Text) Heat(int value, int max)
    {
        var t = max <= 0 ? 0 : Math.Clamp((double)value / max, 0, 1);
        var r = Mix(255, HeatmapDark.R, t);
        var g = Mix(255, HeatmapDark.G, t);
        var b = Mix(255, HeatmapDark.B, t);
        var luminance = 0.2126 * Linear(r) + 0.7152 * Linear(g) + 0.0722 * Linear(b);
        // Contrast with black against contrast with white: the better one, so every count stays readable.
        var text = (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? "#000000" : "#FFFFFF";
        return (string.Create(CultureInfo.InvariantCulture, $"#{r:X2}{g:X2}{b:X2}"), text);

        static int Mix(int from, int to, double t) => (int)Math.Round(from + (to - from) * t);

        static double Linear(int channel)
        {
            var c = channel / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
    }
}
