using System.Text.RegularExpressions;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Parties;

public sealed record PartySummary(
    int Id,
    PartyKind Kind,
    string DisplayName,
    string? MaskedBsn,
    DateOnly? DateOfBirth,
    string? Address,
    string? KvkNumber,
    IReadOnlyList<string> ContactDetails);

/// <summary>
/// One search box for every way a resident identifies: BSN, phone number, e-mail address, postcode + huisnummer,
/// KVK-nummer, vestigingsnummer or name. The text decides which; the answer says what was searched on.
/// </summary>
public static partial class FindParties
{
    [AllowedFor(Roles.Frontoffice, Roles.Backoffice, Roles.Teamleider, Roles.Beheerder)]
    public sealed record Query(string? Text, int Max = 20) : IRequest<Response>
    {
        /// <summary>
        /// The answer to the text typed before this one. When that was a name search that read every matching name (up
        /// to 50, less than 30 s ago) and this text only narrows its words, the answer is filtered from those names,
        /// without the database: while a name is typed key by key, most keys then cost no query.
        /// </summary>
        public Response? Previous { get; init; }
    }

    public sealed record Response(string SearchedOn, IReadOnlyList<PartySummary> Matches, string? Hint = null)
    {
        /// <summary>Every name a name search found, with its words; only when it read them all (up to <see cref="NamesKeptForNarrowing"/>).</summary>
        internal NameSearch? AllFound { get; init; }
    }

    /// <summary>The words of a name search and everyone it found, in name order, read from the database at <paramref name="ReadAt"/>.</summary>
    internal sealed record NameSearch(IReadOnlyList<string> Words, int Max, IReadOnlyList<Row> Found, DateTimeOffset ReadAt)
    {
        /// <summary>How long names read once answer the keys typed after: a resident added a moment ago elsewhere is found after this.</summary>
        public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);

        /// <summary>
        /// Whether a search on these words finds a subset of this one: every earlier word lies within one of the new
        /// words, so a name holding all new words holds the earlier ones too. "jansen d" to "jansen de" does not
        /// narrow ("de" is a particle and drops out), so it goes to the database again.
        /// </summary>
        public bool IsNarrowedBy(IReadOnlyList<string> words, int max, DateTimeOffset now) =>
            max == Max && now - ReadAt < FreshFor && Words.All(earlier => words.Any(word => word.Contains(earlier, StringComparison.Ordinal)));
    }

    /// <summary>
    /// A name search reads up to this many names, though it shows fewer: when they are all there are, the keys typed
    /// after ("Jansen Pi", "Jansen Pie") are answered from them. Fifty cards' data is a few kilobytes per agent.
    /// </summary>
    private const int NamesKeptForNarrowing = 50;

    private static readonly HashSet<string> NameParticles = ["de", "van", "der", "den", "het", "ter", "ten", "te", "in", "t", "op", "la", "le", "el", "al"];

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query request, CancellationToken cancellationToken)
        {
            var text = (request.Text ?? "").Trim();
            if (text.Length < 2)
            {
                return new Response("", [], "Typ minstens 2 tekens.");
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var parties = db.Parties.AsNoTracking();
            var max = Math.Clamp(request.Max, 1, 50);
            var digits = Identifiers.DigitsOnly(text);
            string searchedOn;

            if (digits.Length == 9 && digits.All(char.IsAsciiDigit))
            {
                searchedOn = "BSN";
                if (!Identifiers.IsValidBsn(digits))
                {
                    return new Response(searchedOn, [], "Dit BSN klopt niet (elfproef). Controleer de 9 cijfers.");
                }

                parties = parties.Where(p => p.Bsn == digits);
            }
            else if (digits.Length == 8 && digits.All(char.IsAsciiDigit) && !digits.StartsWith('0'))
            {
                searchedOn = "KVK-nummer";
                parties = parties.Where(p => p.KvkNumber == digits);
            }
            else if (digits.Length == 12 && digits.All(char.IsAsciiDigit) && !digits.StartsWith('0'))
            {
                searchedOn = "vestigingsnummer";
                parties = parties.Where(p => p.BranchNumber == digits);
            }
            else if (PostcodeWithNumber().Match(text) is { Success: true } address && Identifiers.NormalizePostcode(address.Groups["pc"].Value) is { } postcode)
            {
                searchedOn = "postcode en huisnummer";
                parties = parties.Where(p => p.Postcode == postcode);
                if (address.Groups["nr"].Success)
                {
                    var number = int.Parse(address.Groups["nr"].Value, DutchFormat.Culture);
                    parties = parties.Where(p => p.HouseNumber == number);
                }
                else
                {
                    searchedOn = "postcode";
                }
            }
            else if (text.Contains('@', StringComparison.Ordinal))
            {
                searchedOn = "e-mailadres";
                var email = text.ToLowerInvariant();
                parties = parties.Where(p => db.PartyContactDetails.Any(d => d.PartyId == p.Id && d.Kind == ContactDetailKind.Email && d.NormalizedValue == email));
            }
            else if (Identifiers.NormalizePhone(text) is { } phone)
            {
                searchedOn = "telefoonnummer";
                parties = parties.Where(p => db.PartyContactDetails.Any(d => d.PartyId == p.Id && d.Kind == ContactDetailKind.Phone && d.NormalizedValue == phone));
            }
            else if (digits.Length > 0 && digits.All(char.IsAsciiDigit))
            {
                return new Response("", [], "Typ een volledig BSN (9 cijfers), telefoonnummer, KVK-nummer (8) of vestigingsnummer (12).");
            }
            else
            {
                searchedOn = "naam";
                var words = Identifiers.FoldForSearch(text).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Where(w => !NameParticles.Contains(w)).Take(4).ToList();
                if (words.Count == 0)
                {
                    return new Response(searchedOn, [], "Typ (een deel van) de achternaam.");
                }

                const string sameNameHint = "Meerdere inwoners met deze naam? Controleer geboortedatum en adres.";
                if (request.Previous?.AllFound is { } earlier && earlier.IsNarrowedBy(words, max, clock.GetUtcNow()))
                {
                    // The same rule as the query below (SearchName holds every word, ordinal), on the names found before.
                    var narrowed = earlier.Found.Where(row => words.All(word => row.SearchName.Contains(word, StringComparison.Ordinal))).ToList();
                    return ToResponse(searchedOn, narrowed, max, sameNameHint) with { AllFound = earlier with { Words = words, Found = narrowed } };
                }

                // The search per pause in typing: a compiled query, so no expression tree is built and looked up per key.
                var padded = words.Concat(Enumerable.Repeat("", 4 - words.Count)).ToList(); // an empty word is in every name
                var byName = new List<Row>();
                var read = Math.Max(max, NamesKeptForNarrowing);
                await foreach (var row in ByName(db, padded[0], padded[1], padded[2], padded[3], read + 1).WithCancellation(cancellationToken))
                {
                    byName.Add(row);
                }

                var response = ToResponse(searchedOn, byName, max, sameNameHint);
                return byName.Count > read ? response : response with { AllFound = new NameSearch(words, max, byName, clock.GetUtcNow()) };
            }

            var found = await parties
                .OrderBy(p => p.SearchName)
                .Take(max + 1)
                .Select(p => new Row(
                    p.Id, p.SearchName, p.Kind, p.FirstNames, p.Prefix, p.LastName, p.OrganisationName, p.Bsn, p.DateOfBirth, p.KvkNumber,
                    p.Street, p.HouseNumber, p.HouseNumberAddition, p.Postcode, p.City,
                    db.PartyContactDetails.Where(d => d.PartyId == p.Id).OrderBy(d => d.Kind).ThenBy(d => d.Id).Select(d => d.Value).ToList()))
                .ToListAsync(cancellationToken);
            return ToResponse(searchedOn, found, max, hint: null);
        }
    }

    private static Response ToResponse(string searchedOn, IReadOnlyList<Row> found, int max, string? hint)
    {
        var matches = found.Take(max).Select(p =>
        {
            var party = new Party
            {
                Kind = p.Kind, FirstNames = p.FirstNames, Prefix = p.Prefix, LastName = p.LastName, OrganisationName = p.OrganisationName,
                Street = p.Street, HouseNumber = p.HouseNumber, HouseNumberAddition = p.HouseNumberAddition, Postcode = p.Postcode, City = p.City,
            };
            return new PartySummary(p.Id, p.Kind, party.DisplayName, p.Bsn is null ? null : Identifiers.MaskBsn(p.Bsn), p.DateOfBirth, party.AddressLine, p.KvkNumber, p.Details);
        }).ToList();

        if (found.Count > max)
        {
            hint = $"Meer dan {max} gevonden. Maak de zoekvraag preciezer, bijvoorbeeld met postcode en huisnummer.";
        }

        return new Response(searchedOn, matches, matches.Count == 0 ? "Niemand gevonden. Maak een nieuwe inwoner of organisatie aan." : hint);
    }

    internal sealed record Row(
        int Id, string SearchName, PartyKind Kind, string? FirstNames, string? Prefix, string? LastName, string? OrganisationName, string? Bsn, DateOnly? DateOfBirth,
        string? KvkNumber, string? Street, int? HouseNumber, string? HouseNumberAddition, string? Postcode, string? City, List<string> Details);

    /// <summary>Up to four words of the name, each somewhere in it (an empty word matches every name), in name order.</summary>
    private static readonly Func<KccDbContext, string, string, string, string, int, IAsyncEnumerable<Row>> ByName = EF.CompileAsyncQuery(
        (KccDbContext db, string w1, string w2, string w3, string w4, int take) => db.Parties.AsNoTracking()
            .Where(p => p.SearchName.Contains(w1) && p.SearchName.Contains(w2) && p.SearchName.Contains(w3) && p.SearchName.Contains(w4))
            .OrderBy(p => p.SearchName)
            .Take(take)
            .Select(p => new Row(
                p.Id, p.SearchName, p.Kind, p.FirstNames, p.Prefix, p.LastName, p.OrganisationName, p.Bsn, p.DateOfBirth, p.KvkNumber,
                p.Street, p.HouseNumber, p.HouseNumberAddition, p.Postcode, p.City,
                db.PartyContactDetails.Where(d => d.PartyId == p.Id).OrderBy(d => d.Kind).ThenBy(d => d.Id).Select(d => d.Value).ToList())));

    [GeneratedRegex(@"^\s*(?<pc>[1-9][0-9]{3}\s?[A-Za-z]{2})(?:\s*[,-]?\s*(?<nr>[0-9]{1,5})\s*[A-Za-z]?)?\s*$")]
    private static partial Regex PostcodeWithNumber();
}
