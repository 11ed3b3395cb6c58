using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Json;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// How the APIs read JSON: strictly. A body the contract does not describe exactly (null where a value is required,
/// a required member missing, a wrong type, a number or a combination for an enum, a member twice or one that does
/// not exist) is refused as a whole with a 400 naming the field, instead of being half-understood. What the JSON
/// options cannot see (an empty item in a list, control characters in text) the pipeline's <see cref="InputRules"/> refuse.
/// </summary>
public static partial class ApiInput
{
    public static IServiceCollection AddKccApiInput(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(options => Configure(options.SerializerOptions));
        // Binding failures reach UseKccApiErrors as exceptions in every environment, so callers always get Dutch
        // problem details naming the field (the default outside Development is an empty 400).
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static void Configure(JsonSerializerOptions options)
    {
        options.AllowDuplicateProperties = false;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new StrictEnumConverter());
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(WriteWhatIsThere);
    }

    /// <summary>
    /// RespectNullableAnnotations guards what callers send; on the way out a null where the type says "never" would
    /// turn a good answer into a 500, so answers are written as they are.
    /// </summary>
    private static void WriteWhatIsThere(JsonTypeInfo typeInfo)
    {
        foreach (var property in typeInfo.Properties)
        {
            if (!property.PropertyType.IsValueType)
            {
                property.IsGetNullable = true;
            }
        }
    }

    /// <summary>The field (as the caller wrote it) and a Dutch message for a body the serializer refused.</summary>
    public static IReadOnlyDictionary<string, string[]> Describe(JsonException exception)
    {
        var path = exception.Path is { Length: > 0 } p ? p.TrimStart('$').TrimStart('.') : "";
        var message = exception.Message;
        if (exception.InnerException?.GetType().Name == "JsonReaderException")
        {
            return One(path.Length == 0 ? "$" : path, "Dit is geen geldige JSON. Controleer haakjes, komma's en aanhalingstekens.");
        }

        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var names = QuotedName().Matches(message[message.IndexOf("including:", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToList();
            return names.Count == 0
                ? One(path, "Een verplicht veld ontbreekt.")
                : names.ToDictionary(n => path.Length == 0 ? n : path + "." + n, _ => MissingMessage);
        }

        if (message.StartsWith(StrictEnumConverter.MessageStart, StringComparison.Ordinal))
        {
            return One(path, message);
        }

        var text = message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) || message.Contains("duplicate", StringComparison.Ordinal)
            ? "Dit veld staat meer dan één keer in het verzoek."
            : message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "Dit veld bestaat niet in dit verzoek."
                : message.Contains("null", StringComparison.Ordinal)
                    ? InputRules.NullMessage
                    : "Deze waarde heeft niet het juiste type of formaat.";
        return One(path.Length == 0 ? "$" : path, path.Length == 0 ? "Het verzoek moet één JSON-object zijn met de velden van dit verzoek." : text);
    }

    private static readonly string[] MissingMessage = ["Dit veld is verplicht en ontbreekt."];

    private static Dictionary<string, string[]> One(string field, string message) => new() { [field] = [message] };

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedName();
}

/// <summary>
/// Enums in the API are exactly one of their names (any case): no numbers (999 is no channel) and no comma-separated
/// combinations ("Website,Balie" silently became Website).
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    internal const string MessageStart = "Kies precies één van deze waarden: ";

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<string, T> Names = Enum.GetNames<T>().ToDictionary(n => n, Enum.Parse<T>, StringComparer.OrdinalIgnoreCase);

        private static readonly string Message = MessageStart + string.Join(", ", Enum.GetNames<T>()) + ".";

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && reader.GetString() is { } name && Names.TryGetValue(name, out var value)
                ? value
                : throw new JsonException(Message);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
