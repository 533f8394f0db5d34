using System.Text;
using Xinyong.Core.Catalogue;
using Xinyong.Core.Demo;
using Xinyong.Core.Ingestion.Sources;

namespace Xinyong.Benchmarks;

/// <summary>
/// Works around a defect of the demo generator: legacy identifiers (above all 工商注册号, drawn at random without a
/// uniqueness check) can be given to two different subjects once there are tens of thousands of them. The platform
/// then correctly rejects the later subject's rows ("the legacy codes in this row belong to another subject"), so the
/// benchmark could not expect every row to be accepted. This pass finds every legacy code claimed by more than one
/// credit code across both files and blanks those cells (untimed, before any phase); rows are neither added nor
/// removed. A credit code's embedded organisation code counts as an "org" claim too, as the resolver treats it so.
/// </summary>
public static class LegacyCodeCollisions
{
    public sealed record Report(int ConflictingCodes, long CellsBlanked, int UnfixableOrgCodes);

    public static Report Remove(string dir)
    {
        var catalogue = RecordCatalogue.LoadDefault();
        var files = new[] { ("penalty", DemoDataGenerator.PenaltiesFileName), ("licence", DemoDataGenerator.LicencesFileName) };
        var owner = new Dictionary<(string Scheme, string Value), string>();
        var conflicts = new HashSet<(string Scheme, string Value)>();
        var embeddedOrg = new HashSet<(string, string)>();

        void Claim(string scheme, string value, string uscc, bool embedded)
        {
            if (embedded) embeddedOrg.Add((scheme, value));
            if (!owner.TryAdd((scheme, value), uscc) && owner[(scheme, value)] != uscc) conflicts.Add((scheme, value));
        }

        foreach (var (type, file) in files)
        {
            var t = catalogue[type];
            using var stream = File.OpenRead(Path.Combine(dir, file));
            using var reader = new CsvTableReader(stream);
            var columns = Columns(reader.Header, t);
            while (reader.Read())
            {
                var uscc = reader.Current[columns.Uscc];
                if (string.IsNullOrEmpty(uscc)) continue;
                if (uscc.Length == 18) Claim("org", uscc[8..17], uscc, embedded: true);
                foreach (var (index, scheme) in columns.Legacy)
                {
                    if (reader.Current[index] is { Length: > 0 } value) Claim(scheme, value, uscc, embedded: false);
                }
            }
        }
        if (conflicts.Count == 0) return new Report(0, 0, 0);

        long blanked = 0;
        foreach (var (type, file) in files)
        {
            var t = catalogue[type];
            var path = Path.Combine(dir, file);
            var temp = path + ".tmp";
            using (var stream = File.OpenRead(path))
            using (var reader = new CsvTableReader(stream))
            using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false), 1 << 16))
            {
                var columns = Columns(reader.Header, t);
                writer.WriteLine(string.Join(',', reader.Header.Select(Quote)));
                var cells = new string?[reader.Header.Count];
                while (reader.Read())
                {
                    for (var i = 0; i < cells.Length; i++) cells[i] = reader.Current[i];
                    foreach (var (index, scheme) in columns.Legacy)
                    {
                        if (cells[index] is { Length: > 0 } value && conflicts.Contains((scheme, value)))
                        {
                            cells[index] = null;
                            blanked++;
                        }
                    }
                    writer.WriteLine(string.Join(',', cells.Select(Quote)));
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        return new Report(conflicts.Count, blanked, conflicts.Count(embeddedOrg.Contains));
    }

    private static (int Uscc, (int Index, string Scheme)[] Legacy) Columns(IReadOnlyList<string> header, RecordType type)
    {
        var names = header.ToList();
        return (names.IndexOf(type.Subject.CreditCode),
            type.Subject.LegacyCodes.Select(kv => (names.IndexOf(kv.Key), kv.Value)).Where(c => c.Item1 >= 0).ToArray());
    }

    private static string Quote(string? v) =>
        v is null ? "" : v.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
}
