using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Microsoft.OpenApi.YamlReader;

namespace Kcc.Workbench.Tests.Features.Klantinteracties;

/// <summary>
/// The Klantinteracties specification (TestData/specs, read with Microsoft.OpenApi) as JSON Schema 2020-12 for
/// JsonSchema.Net. OpenAPI 3.0's own words become plain JSON Schema: <c>nullable</c> becomes "or null", a
/// <c>oneOf</c> with a <c>discriminator</c> becomes "the branch the discriminator names" (the branches alone are not
/// exclusive, so a strict oneOf would refuse every valid partij and actor), and for requests the readOnly members
/// (uuid, url, …) are no longer required, as the standard means.
/// </summary>
public sealed class OpenApiContract
{
    private readonly JsonObject document;
    private readonly ConcurrentDictionary<(string Name, bool Request), JsonSchema> schemas = new();
    private readonly Dictionary<bool, JsonObject> definitions = [];

    private OpenApiContract(JsonObject document)
    {
        this.document = document;
        foreach (var request in new[] { false, true })
        {
            var defs = new JsonObject();
            foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
            {
                defs[name] = Convert(schema!, request);
            }

            definitions[request] = defs;
        }
    }

    public static readonly Lazy<Task<OpenApiContract>> Klantinteracties = new(() => LoadAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "specs", "klantinteracties-openapi.yaml")));

    public static async Task<OpenApiContract> LoadAsync(string path)
    {
        var settings = new OpenApiReaderSettings();
        settings.TryAddReader(OpenApiConstants.Yaml, new OpenApiYamlReader());
        var read = await OpenApiDocument.LoadAsync(path, settings);
        Assert.NotNull(read.Document);
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        // The object model keeps "nullable" only beside a type, so an allOf that may be null would come out not nullable:
        // the schemas are taken from the YAML as written, through the reader's own YAML-to-JSON conversion.
        var yaml = new SharpYaml.Serialization.YamlStream();
        yaml.Load(new StringReader(await File.ReadAllTextAsync(path)));
        return new OpenApiContract(yaml.Documents[0].ToJsonNode()!.AsObject());
    }

    /// <summary>(method, path) of every operation in the specification, path as written there ("/klantcontacten/{uuid}").</summary>
    public IEnumerable<(string Method, string Path, string OperationId)> Operations() =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Value is JsonObject o && o["operationId"] is not null)
            .Select(op => (op.Key.ToUpperInvariant(), path.Key, op.Value!["operationId"]!.GetValue<string>())));

    private JsonObject Operation(string operationId) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => o.Value)).OfType<JsonObject>()
            .Single(o => o["operationId"]?.GetValue<string>() == operationId);

    public string ResponseSchema(string operationId, int status) =>
        SchemaName(Operation(operationId)["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!["content"]!["application/json"]!["schema"]!);

    public string RequestSchema(string operationId) => SchemaName(Operation(operationId)["requestBody"]!["content"]!["application/json"]!["schema"]!);

    private static string SchemaName(JsonNode schema) => schema["$ref"]!.GetValue<string>().Split('/')[^1];

    /// <summary>The validation errors of <paramref name="instance"/> against a component schema; empty when it conforms.</summary>
    public IReadOnlyList<string> Validate(string schemaName, JsonNode? instance, bool request = false)
    {
        var schema = schemas.GetOrAdd((schemaName, request), key => JsonSchema.FromText(new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://kcc-werkplek.test/klantinteracties/{(key.Request ? "request" : "response")}/{key.Name}",
            ["$defs"] = definitions[key.Request].DeepClone(),
            ["$ref"] = "#/$defs/" + key.Name,
        }.ToJsonString()));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true });
        return [.. Failures(result).Distinct().Take(20)];
    }

    /// <summary>Errors along failing branches only: a passing anyOf's other branch, or an if that did not apply, is no error.</summary>
    private static IEnumerable<string> Failures(EvaluationResults result)
    {
        if (result.IsValid || result.EvaluationPath.ToString().EndsWith("/if", StringComparison.Ordinal))
        {
            yield break;
        }

        foreach (var error in result.Errors ?? new Dictionary<string, string>())
        {
            yield return $"{result.InstanceLocation} ({result.EvaluationPath}): {error.Value}";
        }

        foreach (var failure in (result.Details ?? []).SelectMany(Failures))
        {
            yield return failure;
        }
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue value && string.Equals(value.ToString(), "true", StringComparison.OrdinalIgnoreCase);

    private static JsonNode Convert(JsonNode node, bool request)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray([.. array.Select(item => item is null ? null : Convert(item, request))]);
            case JsonObject source:
            {
                var result = new JsonObject();
                foreach (var (key, value) in source)
                {
                    if (key is "nullable" or "discriminator" or "example" or "deprecated")
                    {
                        continue;
                    }

                    result[key] = key == "$ref" ? "#/$defs/" + value!.GetValue<string>().Split('/')[^1]
                        : key is "properties" ? new JsonObject([.. value!.AsObject().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Convert(p.Value!, request)))])
                        : value is null ? null : Convert(value, request);
                }

                if (source["discriminator"] is JsonObject discriminator && result["oneOf"] is not null)
                {
                    var property = discriminator["propertyName"]!.GetValue<string>();
                    var mapping = discriminator["mapping"]!.AsObject();
                    result.Remove("oneOf");
                    result["required"] = new JsonArray(property);
                    result["properties"] = new JsonObject { [property] = new JsonObject { ["enum"] = new JsonArray([.. mapping.Select(m => (JsonNode)m.Key)]) } };
                    result["allOf"] = new JsonArray([.. mapping.Select(m => (JsonNode)new JsonObject
                    {
                        ["if"] = new JsonObject { ["properties"] = new JsonObject { [property] = new JsonObject { ["const"] = m.Key } } },
                        ["then"] = new JsonObject { ["$ref"] = "#/$defs/" + m.Value!.GetValue<string>().Split('/')[^1] },
                    })]);
                }

                if (request && result["required"] is JsonArray required && source["properties"] is JsonObject properties)
                {
                    result["required"] = new JsonArray([.. required.Select(r => r!.GetValue<string>())
                        .Where(name => !IsTrue(properties[name]?["readOnly"])).Select(name => (JsonNode)name)]);
                }

                return IsTrue(source["nullable"])
                    ? new JsonObject { ["anyOf"] = new JsonArray(result, new JsonObject { ["type"] = "null" }) }
                    : result;
            }

            default:
                return node.DeepClone();
        }
    }
}
