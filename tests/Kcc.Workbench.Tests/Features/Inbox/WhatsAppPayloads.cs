using System.Text;
using System.Text.Json.Nodes;

namespace Kcc.Workbench.Tests.Features.Inbox;

/// <summary>Webhook bodies in the shape Meta sends them (WhatsApp Cloud API, "messages" field), members we do not read included.</summary>
internal static class WhatsAppPayloads
{
    public static JsonObject Message(string wamid, string from, string text, DateTimeOffset at, string name = "Jan") => Envelope(new JsonObject
    {
        ["messaging_product"] = "whatsapp",
        ["metadata"] = new JsonObject { ["display_phone_number"] = "31201234567", ["phone_number_id"] = "106540352242922" },
        ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = name }, ["wa_id"] = from }),
        ["messages"] = new JsonArray(new JsonObject
        {
            ["from"] = from,
            ["id"] = wamid,
            ["timestamp"] = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["type"] = "text",
            ["text"] = new JsonObject { ["body"] = text },
        }),
    });

    public static JsonObject Status(string wamid, string status, DateTimeOffset at, string recipient = "31612345678") => Envelope(new JsonObject
    {
        ["messaging_product"] = "whatsapp",
        ["metadata"] = new JsonObject { ["display_phone_number"] = "31201234567", ["phone_number_id"] = "106540352242922" },
        ["statuses"] = new JsonArray(new JsonObject
        {
            ["id"] = wamid,
            ["status"] = status,
            ["timestamp"] = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["recipient_id"] = recipient,
            ["errors"] = status == "failed" ? new JsonArray(new JsonObject { ["code"] = 131047, ["title"] = "Re-engagement message" }) : null,
        }),
    });

    public static byte[] Bytes(JsonObject payload) => Encoding.UTF8.GetBytes(payload.ToJsonString());

    private static JsonObject Envelope(JsonObject value) => new()
    {
        ["object"] = "whatsapp_business_account",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = "102290129340398",
            ["changes"] = new JsonArray(new JsonObject { ["value"] = value, ["field"] = "messages" }),
        }),
    };
}
