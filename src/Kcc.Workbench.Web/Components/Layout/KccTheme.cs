using MudBlazor;

namespace Kcc.Workbench.Web.Components.Layout;

/// <summary>System fonts only: the app loads nothing from outside. Colours keep WCAG AA contrast on white.</summary>
public static class KccTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#01689B",
            Secondary = "#FFB612",
            SecondaryContrastText = "#1A1A1A",
            AppbarBackground = "#01689B",
            Error = "#B00020",
            Warning = "#8A4B00",
            Success = "#1E6B2F",
            Info = "#01689B",
            TextSecondary = "#4A4A4A",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "Segoe UI", "Liberation Sans", "Arial", "sans-serif"] },
        },
    };
}
