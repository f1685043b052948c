using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace OrderBookSweep.Deployment.Tests;

/// <summary>YAML documents as JSON nodes (scalars stay strings), to query Kubernetes objects like the manifest.</summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static IReadOnlyList<JsonObject> ParseDocuments(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var documents = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (ToJson(Deserializer.Deserialize<object>(parser)) is JsonObject document)
            {
                documents.Add(document);
            }
        }
        return documents;
    }

    public static JsonObject ParseFile(string path) => ParseDocuments(File.ReadAllText(path)).Single();

    private static JsonNode? ToJson(object? value) => value switch
    {
        IDictionary<object, object> map => new JsonObject(map.Select(pair => KeyValuePair.Create((string)pair.Key, ToJson(pair.Value)))),
        IList<object> list => new JsonArray([.. list.Select(ToJson)]),
        null => null,
        _ => JsonValue.Create(value.ToString()),
    };
}
