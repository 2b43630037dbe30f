using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetaQap.Contracts.Tests;

/// <summary>
/// Checks a JSON document against the subset of JSON Schema 2020-12 the contract schemas use (type, properties,
/// required, items, enum, $ref into $defs, additionalProperties as a schema, min/max, lengths, uuid and date-time
/// formats). Small on purpose: no schema library is available to the tests.
/// </summary>
internal static class JsonSchemaChecker
{
    public static IReadOnlyList<string> Check(JsonNode? instance, JsonObject schema)
    {
        var errors = new List<string>();
        Check(instance, schema, schema, "$", errors);
        return errors;
    }

    private static void Check(JsonNode? node, JsonObject schema, JsonObject root, string path, List<string> errors)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            string name = reference.GetValue<string>().Replace("#/$defs/", "", StringComparison.Ordinal);
            Check(node, root["$defs"]![name]!.AsObject(), root, path, errors);
            return;
        }

        string kind = KindOf(node);
        if (schema["type"] is { } type)
        {
            string[] allowed = type is JsonArray many ? many.Select(t => t!.GetValue<string>()).ToArray() : [type.GetValue<string>()];
            bool matches = allowed.Contains(kind) || (kind == "integer" && allowed.Contains("number"));
            if (!matches)
            {
                errors.Add($"{path}: {kind} is not {string.Join(" or ", allowed)}");
                return;
            }
        }

        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, node)))
        {
            errors.Add($"{path}: {node?.ToJsonString()} is not one of the enum values");
        }

        switch (node)
        {
            case JsonObject obj:
                CheckObject(obj, schema, root, path, errors);
                break;
            case JsonArray array:
                if (schema["maxItems"] is { } maxItems && array.Count > maxItems.GetValue<int>())
                {
                    errors.Add($"{path}: more than {maxItems} items");
                }

                if (schema["items"] is JsonObject items)
                {
                    for (int i = 0; i < array.Count; i++)
                    {
                        Check(array[i], items, root, $"{path}[{i}]", errors);
                    }
                }

                break;
            case JsonValue value when kind == "string":
                CheckString(value.GetValue<string>(), schema, path, errors);
                break;
            case JsonValue value when kind is "number" or "integer":
                double number = value.GetValue<double>();
                if (schema["minimum"] is { } min && number < min.GetValue<double>())
                {
                    errors.Add($"{path}: {number} < {min}");
                }

                if (schema["maximum"] is { } max && number > max.GetValue<double>())
                {
                    errors.Add($"{path}: {number} > {max}");
                }

                break;
        }
    }

    private static void CheckObject(JsonObject obj, JsonObject schema, JsonObject root, string path, List<string> errors)
    {
        foreach (JsonNode? required in schema["required"]?.AsArray() ?? [])
        {
            string name = required!.GetValue<string>();
            if (!obj.ContainsKey(name))
            {
                errors.Add($"{path}: required property '{name}' is missing");
            }
        }

        JsonObject? properties = schema["properties"]?.AsObject();
        foreach ((string name, JsonNode? value) in obj)
        {
            if (properties?[name] is JsonObject propertySchema)
            {
                Check(value, propertySchema, root, $"{path}.{name}", errors);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Check(value, additional, root, $"{path}.{name}", errors);
            }
            else if (properties is not null)
            {
                errors.Add($"{path}: property '{name}' is not in the schema");
            }
        }
    }

    private static void CheckString(string text, JsonObject schema, string path, List<string> errors)
    {
        if (schema["minLength"] is { } minLength && text.Length < minLength.GetValue<int>())
        {
            errors.Add($"{path}: shorter than {minLength}");
        }

        if (schema["maxLength"] is { } maxLength && text.Length > maxLength.GetValue<int>())
        {
            errors.Add($"{path}: longer than {maxLength}");
        }

        string? format = schema["format"]?.GetValue<string>();
        bool valid = format switch
        {
            "uuid" => Guid.TryParseExact(text, "D", out _),
            "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && text.Contains('T', StringComparison.Ordinal),
            _ => true,
        };
        if (!valid)
        {
            errors.Add($"{path}: '{text}' is not a valid {format}");
        }
    }

    private static string KindOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => v.ToJsonString().Contains('.', StringComparison.Ordinal)
                || v.ToJsonString().Contains('e', StringComparison.OrdinalIgnoreCase) ? "number" : "integer",
            _ => "null",
        },
        _ => "null",
    };
}
