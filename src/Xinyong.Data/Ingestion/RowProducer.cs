using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Xinyong.Core.Calendar;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Ingestion;
using Xinyong.Core.Ingestion.Sources;

namespace Xinyong.Data.Ingestion;

/// <summary>A validated row with everything that can be prepared for storage before its subject is known.</summary>
internal sealed class PreparedRow(ValidatedRow row)
{
    public ValidatedRow Row { get; } = row;

    /// <summary>
    /// The row as stored JSON, UTF-8 (valid rows only): both databases take the bytes as they are. The bytes live in a
    /// block of the chunk's <see cref="JsonBlocks"/>, valid until the chunk has been written.
    /// </summary>
    public ReadOnlyMemory<byte> Data { get; set; }

    public decimal? Amount { get; set; }

    /// <summary>Working days from the decision to the day the submission was received.</summary>
    public int LagWorkingDays { get; set; }

    /// <summary>Legacy codes the row names (organisation code, registration number …), for subject resolution.</summary>
    public IReadOnlyList<(string Scheme, string Value)> LegacyCodes { get; set; } = [];

    /// <summary>
    /// Set by the resolver while it gathers the chunk's identifiers: the stored subject its cache holds under the row's
    /// credit code (or ID number), and which of <see cref="LegacyCodes"/> it holds (bit i for code i).
    /// </summary>
    public KnownSubject? CachedSubject { get; set; }

    public int CachedLegacyCodes { get; set; }
}

/// <summary>Rows handed from the reading thread to the writing one.</summary>
internal sealed class Chunk
{
    public List<PreparedRow> Rows { get; init; } = [];

    /// <summary>Rows of the file consumed through the end of this chunk: the checkpoint once it is committed.</summary>
    public long ConsumedThrough { get; init; }

    /// <summary>Share of the file read (by bytes) at the end of this chunk.</summary>
    public double Fraction { get; init; }

    /// <summary>The batch (the unit committed with its checkpoint) ends with this chunk.</summary>
    public bool EndsBatch { get; init; }

    /// <summary>The source became unreadable after the rows before this point.</summary>
    public SourceFormatException? Failure { get; init; }

    /// <summary>PostgreSQL: the chunk tied to its subjects by the resolving stage, ahead of the writer.</summary>
    public ResolvedChunk? Resolved { get; set; }

    /// <summary>Where the rows' JSON is (<see cref="PreparedRow.Data"/>); given back by the writer once the chunk is written.</summary>
    public JsonBlocks? Json { get; init; }
}

/// <summary>
/// The stored JSON of a chunk's rows, packed into a few large pooled blocks instead of an array per row: a row's bytes
/// are alive from the reader to the writer, and as thousands of small arrays per chunk they were much of what every
/// garbage collection had to copy and trace (docs/benchmarks.md, "Ingest"). The writer gives the blocks back with
/// <see cref="Release"/> once the chunk is written; a run that fails leaves them to the garbage collector.
/// </summary>
internal sealed class JsonBlocks
{
    private const int BlockSize = 256 * 1024;
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 4 * 1024 * 1024, maxArraysPerBucket: 64);
    private readonly List<byte[]> _blocks = [];
    private byte[]? _current;
    private int _used;

    /// <summary>
    /// Room for at most <paramref name="maxLength"/> bytes of JSON in one of the blocks; <see cref="Commit"/> then keeps
    /// what was written there.
    /// </summary>
    public Span<byte> Reserve(int maxLength)
    {
        if (_current is null || _current.Length - _used < maxLength)
        {
            // A row longer than a block gets a block of its own size.
            _current = Pool.Rent(Math.Max(BlockSize, maxLength));
            _blocks.Add(_current);
            _used = 0;
        }
        return _current.AsSpan(_used, maxLength);
    }

    /// <summary>The <paramref name="length"/> bytes written into the room of the last <see cref="Reserve"/>.</summary>
    public ReadOnlyMemory<byte> Commit(int length)
    {
        var memory = new ReadOnlyMemory<byte>(_current, _used, length);
        _used += length;
        return memory;
    }

    /// <summary>Gives the blocks back to the pool: the rows' <see cref="PreparedRow.Data"/> must not be read afterwards.</summary>
    public void Release()
    {
        foreach (var b in _blocks) Pool.Return(b);
        _blocks.Clear();
        _current = null;
    }
}

/// <summary>
/// The reading side of an ingest: streams the file, validates each row and prepares its stored form (JSON, amount,
/// lag), and hands the rows on in chunks, one at a time (<see cref="HandOff{T}"/>). It runs on a thread of its own while the writing
/// side resolves subjects and writes the previous chunk, so parsing and validation cost no wall time as long as the
/// database is the slower side; handing over one chunk at a time keeps memory bounded whatever the file size.
/// </summary>
internal sealed class RowProducer(
    ITableReader reader, Stream file, RowValidator validator, RecordType type, WorkingDayCalendar calendar, DateOnly receivedDay)
{
    private readonly int _amount = type.Amount is null ? -1 : type.IndexOf(type.Amount);
    private readonly LegacyCodeReader _legacy = new(type);
    private readonly RowJson _json = new(type.Fields);

    /// <summary>Skips the rows committed before an interruption, then produces chunks of at most <paramref name="chunkSize"/> rows.</summary>
    public async Task RunAsync(HandOff<Chunk> output, long skip, int batchSize, int chunkSize, CancellationToken ct)
    {
        long consumed;
        try
        {
            consumed = ResumableFile.SkipCommitted(reader, skip);
        }
        catch (SourceFormatException ex)
        {
            await output.SendAsync(new Chunk { Failure = ex }, ct);
            return;
        }
        var inBatch = 0;
        var rows = new List<PreparedRow>(chunkSize);
        var json = new JsonBlocks();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            bool more;
            try
            {
                more = reader.Read();
            }
            catch (SourceFormatException ex)
            {
                await output.SendAsync(new Chunk { Failure = ex }, ct);
                return;
            }
            if (more)
            {
                consumed++;
                rows.Add(Prepare(validator.Validate(reader.RowNumber, reader.Current), json));
                inBatch++;
            }
            var endsBatch = inBatch >= batchSize || (!more && inBatch > 0);
            if (rows.Count >= chunkSize || endsBatch)
            {
                var fraction = file.Length == 0 ? 1 : (double)file.Position / file.Length;
                await output.SendAsync(new Chunk { Rows = rows, ConsumedThrough = consumed, Fraction = fraction, EndsBatch = endsBatch, Json = json }, ct);
                rows = new List<PreparedRow>(chunkSize);
                json = new JsonBlocks();
                if (endsBatch) inBatch = 0;
            }
            if (!more) return;
        }
    }

    private PreparedRow Prepare(ValidatedRow row, JsonBlocks json)
    {
        var prepared = new PreparedRow(row);
        if (!row.IsValid) return prepared;
        var v = row.Values;
        prepared.Data = json.Commit(_json.Write(v, json.Reserve(_json.MaxLength(v))));
        prepared.Amount = _amount >= 0 && v[_amount] is { } a ? decimal.Parse(a, CultureInfo.InvariantCulture) : null;
        prepared.LagWorkingDays = calendar.WorkingDaysBetween(row.DecisionDate, receivedDay);
        if (row.SubjectKind != Core.Subjects.SubjectKind.NaturalPerson) prepared.LegacyCodes = _legacy.Read(v);
        return prepared;
    }
}
