using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using FluentValidation;
using Kcc.Workbench.Web.Data;
using Kcc.Workbench.Web.Features.Parties;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Kcc.Workbench.Web.Features.Topics;

/// <summary>What an import of the UPL did, or would do in a dry run.</summary>
public sealed record ImportReport
{
    public required bool DryRun { get; init; }

    /// <summary>Data rows read from the file, municipal or not.</summary>
    public required int RowsRead { get; init; }

    /// <summary>Distinct municipal products (by URI) that passed the checks.</summary>
    public required int MunicipalProducts { get; init; }

    public required IReadOnlyList<ImportedTopic> Created { get; init; }

    public required IReadOnlyList<UpdatedTopic> Updated { get; init; }

    public required IReadOnlyList<ImportedTopic> Deactivated { get; init; }

    public required IReadOnlyList<ImportedTopic> Unchanged { get; init; }

    public required IReadOnlyList<RejectedRow> Rejected { get; init; }

    public bool HasChanges => Created.Count + Updated.Count + Deactivated.Count > 0;
}

public sealed record ImportedTopic(string Name, string Uri);

public sealed record UpdatedTopic(string Uri, string OldName, string NewName, bool Reactivated)
{
    public bool Renamed => !string.Equals(OldName, NewName, StringComparison.Ordinal);
}

/// <summary>A municipal row that could not be used; <see cref="Row"/> is the row number as a spreadsheet shows it (header is row 1).</summary>
public sealed record RejectedRow(int Row, string Reason, string? Name, string? Uri);

/// <summary>
/// Imports the government's Uniforme Productnamenlijst (CSV as published) as topics: rows with Gemeente = X are the
/// municipal products. New products are added, renamed or returning ones updated, and products that left the list are
/// switched off (never deleted: old contacts keep pointing at them). A dry run reports the same without writing.
/// </summary>
public static class ImportUpl
{
    public const int MaxFileBytes = 20 * 1024 * 1024;
    public const int MaxNameLength = 200;
    public const int MaxUriLength = 400;

    internal const string NameColumn = "UniformeProductnaam";
    internal const string UriColumn = "URI";
    internal const string MunicipalityColumn = "Gemeente";

    private static readonly StringComparer DutchOrder = StringComparer.Create(DutchFormat.Culture, ignoreCase: true);

    [AllowedFor(Roles.Beheerder)]
    public sealed record Command(byte[] Csv, bool DryRun) : IRequest<Result<ImportReport>>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Csv).NotEmpty().WithMessage("Het bestand is leeg. Kies het UPL-bestand zoals de overheid het publiceert.")
                .Must(c => c is null || c.Length <= MaxFileBytes)
                .WithMessage($"Het bestand is te groot: hoogstens {MaxFileBytes / (1024 * 1024)} MB. Kies het UPL-bestand zoals de overheid het publiceert.");
        }
    }

    internal sealed class Handler(IDbContextFactory<KccDbContext> dbFactory, TimeProvider clock, ILogger<Handler> logger, ICurrentUser currentUser, Audit.IAuditLog audit)
        : IRequestHandler<Command, Result<ImportReport>>
    {
        public async Task<Result<ImportReport>> Handle(Command request, CancellationToken cancellationToken)
        {
            var parsed = UplFile.Parse(request.Csv);
            if (parsed.Error is not null)
            {
                return Result<ImportReport>.Fail(nameof(Command.Csv), parsed.Error);
            }

            if (parsed.Products.Count == 0)
            {
                // Without this guard a wrong file would switch off every topic the agents use.
                var why = parsed.Rejected.Count > 0
                    ? "Het bestand bevat geen bruikbare producten van gemeenten: de rijen met Gemeente = X zijn afgewezen, bijvoorbeeld " +
                      string.Join("; ", parsed.Rejected.Take(3).Select(r => $"rij {r.Row}: {r.Reason.TrimEnd('.')}")) + "."
                    : "Het bestand bevat geen producten van gemeenten (geen rijen met Gemeente = X).";
                return Result<ImportReport>.Fail(nameof(Command.Csv), why + " Er is niets veranderd. Kies het volledige UPL-bestand.");
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var topics = await db.Topics.ToDictionaryAsync(t => t.Uri, StringComparer.Ordinal, cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            var created = new List<ImportedTopic>();
            var updated = new List<UpdatedTopic>();
            var unchanged = new List<ImportedTopic>();
            var deactivated = new List<ImportedTopic>();

            foreach (var product in parsed.Products)
            {
                if (!topics.TryGetValue(product.Uri, out var topic))
                {
                    created.Add(new ImportedTopic(product.Name, product.Uri));
                    if (!request.DryRun)
                    {
                        db.Topics.Add(new Topic { Name = product.Name, Uri = product.Uri, SearchName = Identifiers.FoldForSearch(product.Name), UpdatedAt = now });
                    }

                    continue;
                }

                if (topic.IsActive && string.Equals(topic.Name, product.Name, StringComparison.Ordinal))
                {
                    unchanged.Add(new ImportedTopic(topic.Name, topic.Uri));
                    if (!request.DryRun)
                    {
                        // Quietly repairs a search name folded by an older rule; not a change the beheerder needs to see.
                        topic.SearchName = Identifiers.FoldForSearch(topic.Name);
                    }

                    continue;
                }

                updated.Add(new UpdatedTopic(topic.Uri, topic.Name, product.Name, Reactivated: !topic.IsActive));
                if (!request.DryRun)
                {
                    topic.Name = product.Name;
                    topic.SearchName = Identifiers.FoldForSearch(product.Name);
                    topic.IsActive = true;
                    topic.UpdatedAt = now;
                }
            }

            foreach (var topic in topics.Values.Where(t => t.IsActive && !parsed.MunicipalUris.Contains(t.Uri)))
            {
                deactivated.Add(new ImportedTopic(topic.Name, topic.Uri));
                if (!request.DryRun)
                {
                    topic.IsActive = false;
                    topic.UpdatedAt = now;
                }
            }

            if (!request.DryRun)
            {
                audit.Record(db, await currentUser.GetPrincipalAsync(), "onderwerpen.geimporteerd", "Topic", "UPL",
                    $"UPL-import: {created.Count} nieuw, {updated.Count} gewijzigd, {deactivated.Count} uitgezet, {unchanged.Count} ongewijzigd");
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException exception)
                {
                    logger.LogWarning(exception, "UPL import failed while saving");
                    return Result<ImportReport>.Fail(nameof(Command.Csv),
                        "De import kon niet worden opgeslagen; er is niets veranderd. Misschien importeerde iemand anders tegelijk. Probeer het opnieuw.");
                }

                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("UPL imported: {Created} created, {Updated} updated, {Deactivated} deactivated, {Unchanged} unchanged, {Rejected} rows rejected",
                    created.Count, updated.Count, deactivated.Count, unchanged.Count, parsed.Rejected.Count);
            }

            return Result<ImportReport>.Ok(new ImportReport
            {
                DryRun = request.DryRun,
                RowsRead = parsed.RowsRead,
                MunicipalProducts = parsed.Products.Count,
                Created = created.OrderBy(t => t.Name, DutchOrder).ToList(),
                Updated = updated.OrderBy(t => t.NewName, DutchOrder).ToList(),
                Deactivated = deactivated.OrderBy(t => t.Name, DutchOrder).ToList(),
                Unchanged = unchanged.OrderBy(t => t.Name, DutchOrder).ToList(),
                Rejected = parsed.Rejected,
            });
        }
    }

    /// <summary>Reads the published CSV: header-based, UTF-8 with or without BOM, one row per product and legal basis.</summary>
    internal static class UplFile
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        internal sealed record Product(string Name, string Uri, int Row);

        internal sealed record Parsed(string? Error, int RowsRead, IReadOnlyList<Product> Products, IReadOnlyList<RejectedRow> Rejected, IReadOnlySet<string> MunicipalUris)
        {
            public static Parsed Failed(string error) => new(error, 0, [], [], new HashSet<string>());
        }

        public static Parsed Parse(byte[] content)
        {
            string text;
            try
            {
                var bytes = content.AsSpan();
                text = StrictUtf8.GetString(bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes);
            }
            catch (DecoderFallbackException)
            {
                return Parsed.Failed("Het bestand is niet in UTF-8 opgeslagen. Gebruik het UPL-bestand zoals de overheid het publiceert, of sla het op als 'CSV UTF-8'.");
            }

            var badRows = new HashSet<int>();
            var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
            {
                // The government publishes commas; a copy saved by Dutch Excel has semicolons.
                DetectDelimiter = true,
                BadDataFound = args => badRows.Add(args.Context.Parser?.Row ?? 0),
            };
            using var reader = new StringReader(text);
            using var parser = new CsvParser(reader, configuration);
            if (!parser.Read())
            {
                return Parsed.Failed("Het bestand is leeg. Kies het UPL-bestand zoals de overheid het publiceert.");
            }

            var header = parser.Record ?? [];
            var nameIndex = IndexOf(header, NameColumn);
            var uriIndex = IndexOf(header, UriColumn);
            var municipalityIndex = IndexOf(header, MunicipalityColumn);
            var missing = new[] { (Column: NameColumn, Index: nameIndex), (Column: UriColumn, Index: uriIndex), (Column: MunicipalityColumn, Index: municipalityIndex) }
                .Where(c => c.Index < 0).Select(c => c.Column).ToArray();
            if (missing.Length > 0)
            {
                var which = missing.Length == 1 ? $"de kolom {missing[0]}" : "de kolommen " + string.Join(", ", missing[..^1]) + " en " + missing[^1];
                return Parsed.Failed($"Dit is geen UPL-bestand: de eerste rij mist {which}. Er is niets veranderd. " +
                    $"Kies het UPL-bestand zoals de overheid het publiceert (met de kolommen {NameColumn}, {UriColumn} en {MunicipalityColumn}).");
            }

            var rowsRead = 0;
            var products = new List<Product>();
            var byUri = new Dictionary<string, Product>(StringComparer.Ordinal);
            var municipalUris = new HashSet<string>(StringComparer.Ordinal);
            var rejected = new List<RejectedRow>();
            var needed = Math.Max(nameIndex, Math.Max(uriIndex, municipalityIndex)) + 1;
            while (parser.Read())
            {
                rowsRead++;
                var row = parser.Row;
                var record = parser.Record ?? [];
                if (record.Length < needed)
                {
                    // A short row may still be municipal; report it rather than guess.
                    rejected.Add(new RejectedRow(row, "De rij heeft minder kolommen dan de eerste rij.", Field(record, nameIndex), Field(record, uriIndex)));
                    continue;
                }

                if (!string.Equals(record[municipalityIndex].Trim(), "X", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = record[nameIndex].Trim();
                var uri = record[uriIndex].Trim();
                if (uri.Length > 0)
                {
                    // Even a rejected row says the product is still on the list: do not switch its topic off.
                    municipalUris.Add(uri);
                }

                var reason = badRows.Contains(row) ? "De rij is geen geldige CSV: controleer de aanhalingstekens." : Check(name, uri);
                if (reason is not null)
                {
                    rejected.Add(new RejectedRow(row, reason, NullIfEmpty(name), NullIfEmpty(uri)));
                    continue;
                }

                if (byUri.TryGetValue(uri, out var earlier))
                {
                    if (!string.Equals(earlier.Name, name, StringComparison.Ordinal))
                    {
                        rejected.Add(new RejectedRow(row, $"Deze URI staat al op rij {earlier.Row} met een andere naam ('{earlier.Name}'). Deze rij is overgeslagen.", name, uri));
                    }

                    continue;
                }

                var product = new Product(name, uri, row);
                byUri.Add(uri, product);
                products.Add(product);
            }

            return new Parsed(null, rowsRead, products, rejected, municipalUris);
        }

        private static string? Check(string name, string uri)
        {
            if (uri.Length == 0)
            {
                return "De URI ontbreekt.";
            }

            if (uri.Length > MaxUriLength)
            {
                return $"De URI is te lang: {uri.Length} tekens, hoogstens {MaxUriLength}.";
            }

            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            {
                return "De URI is geen webadres: die moet beginnen met http:// of https://.";
            }

            if (name.Length == 0)
            {
                return "De productnaam ontbreekt.";
            }

            if (name.Length > MaxNameLength)
            {
                return $"De productnaam is te lang: {name.Length} tekens, hoogstens {MaxNameLength}.";
            }

            return name.Any(char.IsControl) ? "De productnaam bevat tekens die niet zijn toegestaan (bijvoorbeeld een regeleinde)." : null;
        }

        private static int IndexOf(string[] header, string column) =>
            Array.FindIndex(header, h => string.Equals(h.Trim(), column, StringComparison.OrdinalIgnoreCase));

        private static string? Field(string[] record, int index) => index < record.Length ? NullIfEmpty(record[index].Trim()) : null;

        private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
    }
}
