using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Audit;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Registers;

/// <summary>
/// The party search's second half: what the text in the search box means for the BRP (BSN, postcode + huisnummer,
/// geslachtsnaam + geboortedatum) and for the Handelsregister (KVK-nummer, vestigingsnummer, postcode + huisnummer,
/// name), asked of whichever register is configured. A register that is down gives a notice, never an error: the
/// agent goes on with the local data. Every BRP request is audited (who, which query type; not what was asked).
/// </summary>
public static partial class SearchRegisters
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider)]
    public sealed record Query(string? Text) : IRequest<Response>;

    public sealed record Response(IReadOnlyList<RegisterMatch> Matches, IReadOnlyList<string> Notices)
    {
        public static readonly Response Nothing = new([], []);
    }

    public const string BrpDown = "De BRP is nu niet bereikbaar. U zoekt alleen in de eigen gegevens; probeer het later opnieuw.";
    public const string KvkDown = "Het Handelsregister (KVK) is nu niet bereikbaar. U zoekt alleen in de eigen gegevens; probeer het later opnieuw.";

    internal sealed class Handler(BrpClient brp, KvkClient kvk, IDbContextFactory<KccDbContext> dbFactory, ICurrentUser currentUser, IAuditLog audit)
        : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var text = (request.Text ?? "").Trim();
            if (text.Length < 2 || (!brp.IsEnabled && !kvk.IsEnabled))
            {
                return Response.Nothing;
            }

            var (brpQuery, brpCriteria) = brp.IsEnabled ? BrpQueryFor(text) : (null, null);
            var kvkCriteria = kvk.IsEnabled ? KvkQueryFor(text) : null;
            var matches = new List<RegisterMatch>();
            var notices = new List<string>();
            var user = await currentUser.GetPrincipalAsync();
            if (brpQuery is { } type)
            {
                await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    // Before the request, so an attempt that fails is on record too.
                    audit.Record(db, user, "brp.bevraagd", "BRP", type.ToString(), $"BRP bevraagd: {type}");
                    await db.SaveChangesAsync(cancellationToken);
                }

                try
                {
                    matches.AddRange(await brp.SearchAsync(type, brpCriteria!, user.Identity?.Name ?? user.RequireUserId(), cancellationToken));
                }
                catch (RegisterUnavailableException)
                {
                    notices.Add(BrpDown);
                }
            }

            if (kvkCriteria is not null)
            {
                try
                {
                    matches.AddRange(await kvk.SearchAsync(kvkCriteria, cancellationToken));
                }
                catch (RegisterUnavailableException)
                {
                    notices.Add(KvkDown);
                }
            }

            return new Response(matches, notices);
        }
    }

    internal static (BrpQueryType?, JsonObject?) BrpQueryFor(string text)
    {
        var digits = Identifiers.DigitsOnly(text);
        if (digits.Length == 9 && digits.All(char.IsAsciiDigit))
        {
            return Identifiers.IsValidBsn(digits)
                ? (BrpQueryType.RaadpleegMetBurgerservicenummer, new JsonObject { ["burgerservicenummer"] = new JsonArray(digits) })
                : (null, null);
        }

        if (PostcodeAndNumber().Match(text) is { Success: true } address && Identifiers.NormalizePostcode(address.Groups["pc"].Value) is { } postcode)
        {
            return (BrpQueryType.ZoekMetPostcodeEnHuisnummer,
                new JsonObject { ["postcode"] = postcode, ["huisnummer"] = int.Parse(address.Groups["nr"].Value, CultureInfo.InvariantCulture) });
        }

        if (NameAndBirthDate().Match(text) is { Success: true } person
            && DateOnly.TryParseExact(person.Groups["date"].Value, ["d-M-yyyy", "dd-MM-yyyy", "yyyy-MM-dd", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
        {
            // The BRP keeps the voorvoegsel apart: "van der Berg" is geslachtsnaam Berg with voorvoegsel "van der".
            var words = person.Groups["name"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var particles = words.TakeWhile((w, i) => i < words.Length - 1 && Particles.Contains(w.ToLowerInvariant())).Count();
            var query = new JsonObject
            {
                ["geslachtsnaam"] = string.Join(' ', words.Skip(particles)),
                ["geboortedatum"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            if (particles > 0)
            {
                query["voorvoegsel"] = string.Join(' ', words.Take(particles)).ToLowerInvariant();
            }

            return (BrpQueryType.ZoekMetGeslachtsnaamEnGeboortedatum, query);
        }

        return (null, null);
    }

    private static readonly HashSet<string> Particles = ["de", "van", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op", "la", "le", "el", "al", "von"];

    internal static Dictionary<string, string>? KvkQueryFor(string text)
    {
        var digits = Identifiers.DigitsOnly(text);
        if (Identifiers.IsValidKvkNumber(digits))
        {
            return new() { ["kvkNummer"] = digits };
        }

        if (Identifiers.IsValidBranchNumber(digits))
        {
            return new() { ["vestigingsnummer"] = digits };
        }

        if (PostcodeAndNumber().Match(text) is { Success: true } address && Identifiers.NormalizePostcode(address.Groups["pc"].Value) is { } postcode)
        {
            return new() { ["postcode"] = postcode, ["huisnummer"] = address.Groups["nr"].Value };
        }

        // A name: letters, at least three; not a person's name with a birth date, not a phone number or e-mail address.
        return text.Length >= 3 && !text.Contains('@', StringComparison.Ordinal) && text.Any(char.IsLetter) && !NameAndBirthDate().IsMatch(text)
            ? new() { ["naam"] = text }
            : null;
    }

    [GeneratedRegex(@"^\s*(?<pc>[1-9][0-9]{3}\s?[A-Za-z]{2})\s*[,-]?\s*(?<nr>[0-9]{1,5})\s*[A-Za-z]?\s*$")]
    private static partial Regex PostcodeAndNumber();

    [GeneratedRegex(@"^\s*(?<name>[\p{L}' .-]{2,})\s*,?\s+(?<date>[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4})\s*$")]
    private static partial Regex NameAndBirthDate();
}

/// <summary>
/// The agent chose a register's result: the local party is created, or found (same BSN; same KVK-nummer and
/// vestigingsnummer) and refreshed, with the register and the date. Under geheimhouding the address is not copied.
/// </summary>
public static class TakeFromRegister
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice)]
    public sealed record Command(RegisterMatch Match) : IRequest<Result<int>>;

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock, ICurrentUser currentUser, IAuditLog audit) : IRequestHandler<Command, Result<int>>
    {
        public async Task<Result<int>> Handle(Command request, CancellationToken cancellationToken)
        {
            var match = request.Match;
            var user = await currentUser.GetPrincipalAsync();
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var party = match.Kind == PartyKind.Person
                ? match.Bsn is { Length: 9 } bsn && Identifiers.IsValidBsn(bsn) ? await db.Parties.FirstOrDefaultAsync(p => p.Bsn == bsn && p.AnonymisedAt == null, cancellationToken) : null
                : match.KvkNumber is { Length: 8 } kvk ? await db.Parties.FirstOrDefaultAsync(p => p.KvkNumber == kvk && p.BranchNumber == match.BranchNumber && p.AnonymisedAt == null, cancellationToken) : null;
            if (match.Kind == PartyKind.Person && (match.Bsn is null || !Identifiers.IsValidBsn(match.Bsn)))
            {
                return Result<int>.Fail("Bsn", "De BRP gaf geen geldig BSN terug. Zoek de inwoner opnieuw.");
            }

            var created = party is null;
            party ??= new Party { Kind = match.Kind, CreatedAt = now };
            party.FirstNames = Limit(match.FirstNames, PartyLimits.Name);
            party.Prefix = Limit(match.Prefix, PartyLimits.Prefix);
            party.LastName = Limit(match.LastName, PartyLimits.Name);
            party.OrganisationName = Limit(match.OrganisationName, PartyLimits.OrganisationName);
            party.Bsn = match.Kind == PartyKind.Person ? match.Bsn : null;
            party.DateOfBirth = match.DateOfBirth ?? party.DateOfBirth;
            party.KvkNumber = match.KvkNumber is { } k && Identifiers.IsValidKvkNumber(k) ? k : party.KvkNumber;
            party.BranchNumber = match.BranchNumber is { } b && Identifiers.IsValidBranchNumber(b) ? b : party.BranchNumber;
            if (match.IsSecret)
            {
                // Geheimhouding: the resident asked the BRP not to hand out their details; we do not keep the address.
                party.Street = party.HouseNumberAddition = party.Postcode = party.City = null;
                party.HouseNumber = null;
            }
            else
            {
                party.Street = Limit(match.Street, PartyLimits.Street);
                party.HouseNumber = match.HouseNumber;
                party.HouseNumberAddition = Limit(match.HouseNumberAddition, PartyLimits.Addition);
                party.Postcode = match.Postcode;
                party.City = Limit(match.City, PartyLimits.City);
            }

            party.RegisterSource = match.Source;
            party.RegisterCheckedAt = now;
            party.RefreshSearchName();
            if (created)
            {
                db.Parties.Add(party);
            }
            else
            {
                party.Version++;
            }

            await db.SaveChangesAsync(cancellationToken);
            audit.Record(db, user, created ? "betrokkene.aangemaakt" : "betrokkene.bijgewerkt", "Party", party.Id.ToString(CultureInfo.InvariantCulture),
                $"Uit {(match.Source == RegisterMatch.Brp ? "de BRP" : "het Handelsregister")}" + (match.IsSecret ? ", geheimhouding: adres niet overgenomen" : ""));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result<int>.Ok(party.Id);
        }

        private static string? Limit(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];
    }
}
