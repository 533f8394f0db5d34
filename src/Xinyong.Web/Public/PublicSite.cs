using Xinyong.Core.Publication;
using Xinyong.Data.Publication;

namespace Xinyong.Web.Public;

/// <summary>The public site's view of time and its cached headline figures.</summary>
public sealed class PublicSite(TimeProvider clock, PublicRecords records, PublicationRules rules)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);
    private static readonly TimeSpan FiguresLifetime = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _figuresLock = new(1, 1);
    private (PublicFigures Figures, DateTimeOffset At, DateOnly Day)? _figures;

    public PublicationRules Rules => rules;

    /// <summary>Today in China: what is public is decided on this date.</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime + ChinaOffset);

    /// <summary>Headline figures, counted at most every ten minutes (a full count over millions of rows is not per-request work).</summary>
    public async Task<PublicFigures> FiguresAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = Today;
        if (_figures is { } f && now - f.At < FiguresLifetime && f.Day == today) return f.Figures;
        await _figuresLock.WaitAsync(ct);
        try
        {
            if (_figures is { } g && now - g.At < FiguresLifetime && g.Day == today) return g.Figures;
            var figures = await records.FiguresAsync(today, ct);
            _figures = (figures, now, today);
            return figures;
        }
        finally
        {
            _figuresLock.Release();
        }
    }

    /// <summary>
    /// A query as it may be echoed on a public page or response: a resident ID number someone searched for is masked,
    /// so it does not sit in page HTML, caches or screenshots.
    /// </summary>
    public static string? EchoQuery(string? query) =>
        query is not null && Xinyong.Identifiers.Identifier.Detect(Xinyong.Identifiers.Identifier.Normalize(query)) == Xinyong.Identifiers.IdentifierKind.ResidentId
            ? Xinyong.Identifiers.Masking.MaskResidentId(Xinyong.Identifiers.Identifier.Normalize(query))
            : query;

    /// <summary>The URL slug of a 双公示 column and its record type.</summary>
    public static string? RecordTypeOf(string column) => column switch
    {
        "penalties" => PublicationEngine.Penalty,
        "licences" => PublicationEngine.Licence,
        _ => null,
    };

    public static string ColumnOf(string recordType) => recordType == PublicationEngine.Penalty ? "penalties" : "licences";
}
