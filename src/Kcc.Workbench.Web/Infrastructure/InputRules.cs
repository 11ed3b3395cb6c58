using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// The rules every request obeys, whichever screen or API sent it, checked before its own validator runs:
/// no null where the type says a value is required, no empty item in a list, and no control characters in any
/// text (tab and line breaks are text; NUL, ESC, DEL and the like come from pasted binary junk and break exports,
/// logs and terminals). One rule for all fields, so a field added later is covered without remembering it.
/// </summary>
public static class InputRules
{
    public const string ControlCharacterMessage =
        "Dit veld bevat tekens die niet zijn toegestaan (onzichtbare stuurtekens zoals NUL, ESC of DEL). Verwijder ze en probeer het opnieuw.";

    public const string NullMessage = "Dit veld mag niet leeg (null) zijn.";

    public const string NullItemMessage = "Deze lijst bevat een leeg item (null). Laat het weg of vul het in.";

    // Deep enough for the WhatsApp webhook (entry[].changes[].value.statuses[].errors[].title); a guard against cycles, not a limit on contracts.
    private const int MaxDepth = 16;

    private static readonly ConcurrentDictionary<Type, Member[]> Members = new();

    /// <summary>Field path (as in validation messages, e.g. <c>Questions[0].Text</c>) and Dutch message per broken rule.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Check(object request)
    {
        var failures = new List<KeyValuePair<string, string>>();
        Walk(request, "", 0, failures);
        return failures;
    }

    /// <summary>Tabs and line breaks are text; other control characters (C0, DEL, C1) are not.</summary>
    public static bool HasControlCharacters(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not '\n' and not '\r' and not '\t')
            {
                return true;
            }
        }

        return false;
    }

    private static void Walk(object value, string path, int depth, List<KeyValuePair<string, string>> failures)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        foreach (var member in Members.GetOrAdd(value.GetType(), Describe))
        {
            var memberPath = path.Length == 0 ? member.Property.Name : path + "." + member.Property.Name;
            var memberValue = member.Property.GetValue(value);
            Visit(memberValue, memberPath, member.Required, depth, failures);
        }
    }

    private static void Visit(object? value, string path, bool required, int depth, List<KeyValuePair<string, string>> failures)
    {
        switch (value)
        {
            case null:
                if (required)
                {
                    failures.Add(new(path, NullMessage));
                }

                return;
            case string text:
                if (HasControlCharacters(text))
                {
                    failures.Add(new(path, ControlCharacterMessage));
                }

                return;
            case byte[]:
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Visit(entry.Value, $"{path}[{entry.Key}]", required: false, depth + 1, failures);
                }

                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    if (item is null)
                    {
                        failures.Add(new($"{path}[{index}]", NullItemMessage));
                    }
                    else
                    {
                        Visit(item, $"{path}[{index}]", required: true, depth + 1, failures);
                    }

                    index++;
                }

                return;
        }

        if (IsOwnDataType(value.GetType()))
        {
            Walk(value, path, depth + 1, failures);
        }
    }

    /// <summary>Requests and their parts are the app's own records; framework types (dates, streams) are not walked.</summary>
    private static bool IsOwnDataType(Type type) => type is { IsPrimitive: false, IsEnum: false } && type.Assembly == typeof(InputRules).Assembly;

    private static Member[] Describe(Type type)
    {
        var nullability = new NullabilityInfoContext();
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => new Member(p, !p.PropertyType.IsValueType && nullability.Create(p).ReadState == NullabilityState.NotNull))
            .ToArray();
    }

    private sealed record Member(PropertyInfo Property, bool Required);
}
