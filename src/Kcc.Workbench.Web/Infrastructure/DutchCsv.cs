using System.Globalization;
using System.Text;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// CSV that Dutch Excel opens as it is: UTF-8 with a byte order mark, `;` between fields, decimal commas, every field
/// quoted, and a leading apostrophe before =, +, - or @ so no cell can start a formula (CSV injection).
/// </summary>
public sealed class DutchCsv
{
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    private readonly StringBuilder text = new();

    /// <summary>A header line of our own column names: plain, as spreadsheets and import tools read it best.</summary>
    public DutchCsv Header(params string[] names)
    {
        AppendHeader(text, names);
        return this;
    }

    public static void AppendHeader(StringBuilder target, params string[] names) => target.AppendJoin(';', names).Append("\r\n");

    public DutchCsv Row(params object?[] fields)
    {
        AppendRow(text, fields);
        return this;
    }

    public byte[] ToBytes() => [.. Encoding.GetPreamble(), .. Encoding.GetBytes(text.ToString())];

    public static void AppendRow(StringBuilder target, params object?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                target.Append(';');
            }

            target.Append(Quote(Format(fields[i])));
        }

        target.Append("\r\n");
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.0", DutchFormat.Culture),
        IFormattable f => f.ToString(null, DutchFormat.Culture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string value)
    {
        var safe = value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
