using System.Buffers;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Ingestion.Sources;
using Xinyong.Core.Publication;
using Xinyong.Core.Subjects;

namespace Xinyong.WebBench;

/// <summary>A generated row after validation, in the form the platform stores it, with its publication decision.</summary>
internal sealed class SeedRow
{
    public required string?[] Values { get; init; }
    public required string Json { get; init; }
    public required string BusinessKey { get; init; }
    public required string ContentHash { get; init; }
    public required DateOnly DecisionDate { get; init; }
    public required SubjectKind Kind { get; init; }
    public decimal? Amount { get; init; }
    public required PublicationDecision Publication { get; init; }
    public string? Kinds { get; init; }
}

/// <summary>
/// Reads one generated CSV on a thread of its own: rewrite (dates, names), validate with the platform's
/// <see cref="RowValidator"/>, build the stored JSON exactly as the ingest does (RowProducer), and evaluate the
/// publication rules exactly as <c>PublicationProjector</c> does; hands chunks on through a bounded channel.
/// </summary>
internal sealed class RowSource(RecordType type, string path, long wanted, PublicationEngine engine, SeedOptions options, DateOnly until)
{
    public const int ChunkSize = 2000;

    public RecordType Type => type;
    public long Wanted => wanted;
    public long Invalid => _invalid;
    public List<string> FirstErrors { get; } = [];

    private long _invalid;

    public ChannelReader<List<SeedRow>> Start(CancellationToken ct)
    {
        var channel = Channel.CreateBounded<List<SeedRow>>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        _ = Task.Run(async () =>
        {
            try
            {
                await ProduceAsync(channel.Writer, ct);
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, ct);
        return channel.Reader;
    }

    private async Task ProduceAsync(ChannelWriter<List<SeedRow>> output, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var reader = new CsvTableReader(stream);
        var header = reader.Header;
        var mapping = HeaderMapping.Map(type, header);
        if (!mapping.IsUsable) throw new InvalidOperationException($"{path}: header not usable for {type.Code}.");
        var validator = new RowValidator(type, mapping, header, until.AddDays(1));
        var rewriter = new RowRewriter(type, header, options.From, until, bracketShare: 0.05, seed: options.Seed ^ type.Code.Length);
        var fieldIndex = Enumerable.Range(0, type.Fields.Count).ToDictionary(i => type.Fields[i].Name, StringComparer.Ordinal);
        var amount = type.Amount is null ? -1 : type.IndexOf(type.Amount);
        var kindsField = type.IndexOf(type.Code == PublicationEngine.Penalty ? "CF_CFLB" : "XK_XKLB");
        var buffer = new ArrayBufferWriter<byte>(4096);
        var chunk = new List<SeedRow>(ChunkSize);
        long produced = 0;
        var cells = new string?[header.Count];
        while (produced < wanted && reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            var current = reader.Current;
            for (var i = 0; i < cells.Length; i++) cells[i] = i < current.Count ? current[i] : null;
            rewriter.Rewrite(cells);
            var row = validator.Validate(reader.RowNumber, cells);
            if (!row.IsValid)
            {
                _invalid++;
                if (FirstErrors.Count < 5) FirstErrors.Add($"row {row.RowNumber}: {row.Errors[0].Field} {row.Errors[0].MessageEn}");
                continue;
            }
            var v = row.Values;
            var view = new FieldView(fieldIndex, v);
            chunk.Add(new SeedRow
            {
                Values = v,
                Json = ToJson(buffer, v),
                BusinessKey = row.BusinessKey,
                ContentHash = row.ContentHash,
                DecisionDate = row.DecisionDate,
                Kind = row.SubjectKind,
                Amount = amount >= 0 && v[amount] is { } a ? decimal.Parse(a, CultureInfo.InvariantCulture) : null,
                Publication = engine.Evaluate(new PublicationInput(type.Code, row.SubjectKind, row.DecisionDate, view)),
                Kinds = v[kindsField],
            });
            produced++;
            if (chunk.Count == ChunkSize)
            {
                await output.WriteAsync(chunk, ct);
                chunk = new List<SeedRow>(ChunkSize);
            }
        }
        if (chunk.Count > 0) await output.WriteAsync(chunk, ct);
        if (produced < wanted) throw new InvalidOperationException($"{path} gave {produced} valid rows, {wanted} wanted ({_invalid} invalid).");
    }

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The stored form of a row, as RowProducer writes it: the non-empty fields in catalogue order.</summary>
    private string ToJson(ArrayBufferWriter<byte> buffer, string?[] values)
    {
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions))
        {
            w.WriteStartObject();
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is { } s) w.WriteString(type.Fields[i].Name, s);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The field values by national name without building a dictionary per row; holds the same entries as the
    /// projector's parse of the stored JSON (every non-empty field).
    /// </summary>
    private sealed class FieldView(Dictionary<string, int> index, string?[] values) : IReadOnlyDictionary<string, string>
    {
        public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => this.Select(kv => kv.Key);
        public IEnumerable<string> Values => this.Select(kv => kv.Value);
        public int Count => values.Count(v => v is not null);

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
        {
            value = index.TryGetValue(key, out var i) ? values[i] : null;
            return value is not null;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
        {
            foreach (var (name, i) in index)
            {
                if (values[i] is { } v) yield return new(name, v);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
