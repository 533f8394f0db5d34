using System.Security.Cryptography;
using Xinyong.Core.Ingestion.Sources;

namespace Xinyong.Data.Ingestion;

/// <summary>
/// How a file import survives a crash, shared by record ingestion (<see cref="IngestionRunner"/>) and bulk list
/// designation (<see cref="Lists.ListImporter"/>): the file is known by its SHA-256, so the same file sent again by the
/// same department finds its unfinished import and resumes it instead of starting over; rows are committed in batches
/// together with a checkpoint (rows done) in the same transaction, so a resumed run skips exactly the rows whose effects
/// are stored and processes the rest once.
/// </summary>
public static class ResumableFile
{
    /// <summary>SHA-256 (lower-case hex) and size of the file from the stream's position on; the position is restored.</summary>
    public static async Task<(string Sha256, long Size)> FingerprintAsync(Stream file, CancellationToken ct = default)
    {
        var start = file.Position;
        var hash = await SHA256.HashDataAsync(file, ct);
        var size = file.Position - start;
        file.Position = start;
        return (Convert.ToHexStringLower(hash), size);
    }

    public static async Task<(string Sha256, long Size)> FingerprintAsync(string path, CancellationToken ct = default)
    {
        await using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return await FingerprintAsync(s, ct);
    }

    /// <summary>
    /// Reads past the rows committed before an interruption (the checkpoint); returns how many were skipped, fewer only
    /// when the file ends first. A <see cref="SourceFormatException"/> from the reader propagates.
    /// </summary>
    public static long SkipCommitted(ITableReader reader, long rowsDone)
    {
        long skipped = 0;
        while (skipped < rowsDone && reader.Read()) skipped++;
        return skipped;
    }
}
