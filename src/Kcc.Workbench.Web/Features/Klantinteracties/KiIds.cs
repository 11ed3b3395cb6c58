using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Kcc.Workbench.Web.Features.Klantinteracties;

/// <summary>
/// Stable uuids for the Klantinteracties API without storing them: derived from our own ids, so no table changes.
/// Numbered records (questions, tasks, parties, contact details) get an RFC 9562 version-8 uuid whose first eight
/// bytes are a SHA-1 hash of the resource kind (as a v5 uuid hashes a name) and whose last eight bytes hold the id:
/// the same record always has the same uuid, kinds never collide, and a uuid in a URL leads straight back to the row.
/// Actors (employees, teams, integration clients) are few and keyed by text: they get a true name-based v5 uuid.
/// </summary>
public static class KiIds
{
    public const string Klantcontact = "klantcontact";
    public const string Betrokkene = "betrokkene";
    public const string Onderwerpobject = "onderwerpobject";
    public const string Internetaak = "internetaak";
    public const string ActorKlantcontact = "actorklantcontact";
    public const string Partij = "partij";
    public const string DigitaalAdres = "digitaaladres";

    /// <summary>An address given by the betrokkene of an anonymous contact: answered, not kept (keyed by the question).</summary>
    public const string DigitaalAdresNietBewaard = "digitaaladres-niet-bewaard";
    public const string Bsn = "partij-identificator-bsn";
    public const string KvkNummer = "partij-identificator-kvk";
    public const string Vestigingsnummer = "partij-identificator-vestiging";

    /// <summary>The v5 namespace of this application's actors (a fixed random uuid).</summary>
    private static readonly Guid ActorNamespace = new("5f0c7c5e-2b8e-4f51-9d7a-4b1f3c0e8a21");

    public static Guid For(string kind, long id)
    {
        Span<byte> bytes = stackalloc byte[16];
        Prefix(kind).CopyTo(bytes);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], id);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant; ids stay below 2^62
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The id a uuid of <paramref name="kind"/> was made from; false for a uuid of another kind or not ours.</summary>
    public static bool TryRead(Guid uuid, string kind, out long id)
    {
        Span<byte> bytes = stackalloc byte[16];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        var prefix = Prefix(kind);
        id = 0;
        if (!bytes[..6].SequenceEqual(prefix.AsSpan(0, 6)) || bytes[6] != (byte)((prefix[6] & 0x0F) | 0x80) || bytes[7] != prefix[7] || (bytes[8] & 0xC0) != 0x80)
        {
            return false;
        }

        bytes[8] &= 0x3F;
        id = BinaryPrimitives.ReadInt64BigEndian(bytes[8..]);
        return true;
    }

    public static bool TryReadInt(Guid uuid, string kind, out int id)
    {
        var ok = TryRead(uuid, kind, out var value) && value is > 0 and <= int.MaxValue;
        id = ok ? (int)value : 0;
        return ok;
    }

    /// <summary>Name-based (v5) uuid of an actor: "medewerker:{employee id}", "team:{id}", "api:{client name}".</summary>
    public static Guid Actor(string name)
    {
        Span<byte> space = stackalloc byte[16];
        ActorNamespace.TryWriteBytes(space, bigEndian: true, out _);
#pragma warning disable CA5350 // RFC 9562 name-based uuids are defined on SHA-1; nothing here is a secret or a signature.
        var hash = SHA1.HashData([.. space, .. Encoding.UTF8.GetBytes(name)]);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

#pragma warning disable CA5350 // as above: a v5-style name hash, not security
    private static byte[] Prefix(string kind) => SHA1.HashData(Encoding.UTF8.GetBytes("kcc-werkplek/klantinteracties/" + kind)).AsSpan(0, 8).ToArray();
#pragma warning restore CA5350
}
