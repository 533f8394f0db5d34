namespace Xinyong.Web.Ingestion;

/// <summary>Keeps every uploaded file (the evidence of what a department sent) under Uploads:Directory.</summary>
public sealed class UploadStorage(IConfiguration configuration, TimeProvider clock)
{
    public long MaxBytes => configuration.GetValue("Uploads:MaxBytes", 2L * 1024 * 1024 * 1024);

    public async Task<string> SaveAsync(Stream content, string fileName, CancellationToken ct)
    {
        var root = Path.GetFullPath(configuration["Uploads:Directory"] ?? Path.Combine(Xinyong.Data.Database.DatabaseOptions.Home(configuration), "data", "uploads"));
        var dir = Path.Combine(root, clock.GetUtcNow().ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var ext = Path.GetExtension(fileName);
        if (ext.Length > 10 || ext.Any(c => !char.IsLetterOrDigit(c) && c != '.')) ext = "";
        var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ext.ToLowerInvariant());
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await content.CopyToAsync(file, ct);
        if (file.Length > MaxBytes)
        {
            await file.DisposeAsync();
            File.Delete(path);
            throw new InvalidDataException("too large");
        }
        return path;
    }
}
