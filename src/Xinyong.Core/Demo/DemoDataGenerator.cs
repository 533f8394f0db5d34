using System.Runtime.ExceptionServices;
using Xinyong.Identifiers;

namespace Xinyong.Core.Demo;

/// <summary>How much demo data to make.</summary>
/// <param name="Subjects">Number of distinct subjects (enterprises, individual businesses, natural persons).</param>
/// <param name="Records">Total rows; about 35% penalties and 65% licences.</param>
/// <param name="Seed">The same seed gives byte-identical files.</param>
/// <param name="Until">Last decision date; default 2026-11-20. Decisions cover the six years before it.</param>
public sealed record DemoOptions(int Subjects, int Records, int Seed = 20191025, DateOnly? Until = null);

/// <summary>What was written.</summary>
public sealed record DemoSummary(int Subjects, long Penalties, long Licences, IReadOnlyList<string> Files);

/// <summary>
/// Writes invented 双公示 records (penalties.csv and licences.csv) in the national exchange field format,
/// from Kunshan departments about Suzhou subjects. Deterministic for a seed, streaming (only the subjects
/// are held in memory) and fast: both files are written at once, each from its own random stream.
/// </summary>
public static class DemoDataGenerator
{
    public const string PenaltiesFileName = "penalties.csv";
    public const string LicencesFileName = "licences.csv";

    public static readonly DateOnly DefaultUntil = new(2026, 11, 20);

    public static readonly IReadOnlyList<string> PenaltyHeader =
    [
        "CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_XDR_GSZC", "CF_XDR_ZZJG", "CF_XDR_SWDJ", "CF_XDR_SYDW", "CF_XDR_SHZZ",
        "CF_FRDB", "CF_FR_ZJLX", "CF_FR_ZJHM", "CF_XDR_ZJLX", "CF_XDR_ZJHM", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB",
        "CF_NR", "CF_NR_FK", "CF_NR_WFFF", "CF_NR_ZKDX", "CF_JDRQ", "CF_YXQ", "CF_GSJZQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY",
        "CF_SJLYDM", "BZ",
    ];

    public static readonly IReadOnlyList<string> LicenceHeader =
    [
        "XK_XDR_MC", "XK_XDR_LB", "XK_XDR_SHXYM", "XK_XDR_GSZC", "XK_XDR_ZZJG", "XK_XDR_SWDJ", "XK_XDR_SYDW", "XK_XDR_SHZZ",
        "XK_FRDB", "XK_FR_ZJLX", "XK_FR_ZJHM", "XK_XDR_ZJLX", "XK_XDR_ZJHM", "XK_XKWS", "XK_WSH", "XK_XKLB", "XK_XKZS",
        "XK_XKBH", "XK_NR", "XK_JDRQ", "XK_YXQZ", "XK_YXQZI", "XK_XKJG", "XK_XKJGDM", "XK_ZT", "XK_LYDW", "XK_LYDWDM", "BZ",
    ];

    private const int YearsCovered = 6;
    private const int ProgressStep = 10_000;
    private static readonly DateOnly NoExpiry = new(2099, 12, 31);

    /// <summary>The deciding departments of the demo data: government credit codes (1/1, Kunshan) and full names.</summary>
    public static IEnumerable<(string Code, string Name)> AuthorityList
    {
        get
        {
            foreach (var authority in DemoAuthorities.All)
            {
                yield return (authority.Code, authority.Name);
            }
        }
    }

    public static DemoSummary Generate(DemoOptions options, string outDirectory, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Subjects, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Records);

        Directory.CreateDirectory(outDirectory);
        var subjects = DemoSubjects.Create(options.Subjects, options.Seed);
        var until = options.Until ?? DefaultUntil;
        var penalties = (long)Math.Round(options.Records * 0.35, MidpointRounding.AwayFromZero);
        var licences = options.Records - penalties;
        var penaltiesPath = Path.Combine(outDirectory, PenaltiesFileName);
        var licencesPath = Path.Combine(outDirectory, LicencesFileName);
        var written = new ProgressCounter(progress);

        try
        {
            Parallel.Invoke(
                () => new PenaltyWriter(subjects, options.Seed, until, written).Write(penaltiesPath, penalties),
                () => new LicenceWriter(subjects, options.Seed, until, written).Write(licencesPath, licences));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }

        written.Flush();
        return new DemoSummary(options.Subjects, penalties, licences, [penaltiesPath, licencesPath]);
    }

    /// <summary>Rows written by both writers together, reported every <see cref="ProgressStep"/> rows.</summary>
    private sealed class ProgressCounter(IProgress<long>? progress)
    {
        private long _total;

        public void Add(long rows)
        {
            var total = Interlocked.Add(ref _total, rows);
            progress?.Report(total);
        }

        public void Flush() => progress?.Report(Interlocked.Read(ref _total));
    }

    /// <summary>Picks an item with probability proportional to its weight.</summary>
    private sealed class WeightedPicker<T>
    {
        private readonly List<T> _items = [];
        private readonly List<int> _cumulative = [];

        public int Total { get; private set; }

        public void Add(T item, int weight)
        {
            if (weight <= 0)
            {
                return;
            }

            Total += weight;
            _items.Add(item);
            _cumulative.Add(Total);
        }

        public T Pick(Random rng)
        {
            var r = rng.Next(Total);
            int lo = 0, hi = _cumulative.Count - 1;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_cumulative[mid] > r)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return _items[lo];
        }
    }

    /// <summary>What penalties and licences share: subject columns, dates, decision numbers.</summary>
    private abstract class RowWriter
    {
        protected RowWriter(DemoSubjects subjects, int seed, int stream, DateOnly until, ProgressCounter progress)
        {
            Subjects = subjects;
            Rng = new Random(unchecked((seed * 7919) + stream));
            Until = until;
            First = until.AddYears(-YearsCovered).AddDays(1);
            Progress = progress;
            DecisionNumbers = new int[DemoAuthorities.All.Length, until.Year - First.Year + 1];
        }

        protected DemoSubjects Subjects { get; }

        protected Random Rng { get; }

        protected DateOnly Until { get; }

        protected DateOnly First { get; }

        protected ProgressCounter Progress { get; }

        protected TextBuffer Text { get; } = new();

        /// <summary>Running decision numbers per (authority, year): unique within a file.</summary>
        protected int[,] DecisionNumbers { get; }

        public void Write(string path, long rows)
        {
            using var csv = new CsvRowWriter(path);
            WriteHeader(csv);
            var pending = 0;
            for (long n = 0; n < rows; n++)
            {
                WriteRow(csv, n);
                if (++pending == ProgressStep)
                {
                    Progress.Add(pending);
                    pending = 0;
                }
            }

            Progress.Add(pending);
        }

        protected abstract void WriteHeader(CsvRowWriter csv);

        protected abstract void WriteRow(CsvRowWriter csv, long n);

        protected DateOnly NextDecisionDate() => First.AddDays(Rng.Next(Until.DayNumber - First.DayNumber + 1));

        /// <summary>Columns XDR_MC to XDR_ZJHM, identical in both formats.</summary>
        protected void WriteSubject(CsvRowWriter csv, int s)
        {
            var kind = Subjects.Kind[s];
            var isPerson = kind == DemoSubjects.Person;
            csv.Field(Subjects.Name[s]);
            csv.Field(kind switch
            {
                DemoSubjects.Enterprise => "法人及非法人组织",
                DemoSubjects.Individual => "个体工商户",
                _ => "自然人",
            });
            csv.Field(isPerson ? string.Empty : Subjects.Code[s]);
            csv.Field(Subjects.Registration[s]);
            csv.Field(Subjects.WithOrganizationCode[s] ? Subjects.Code[s].AsSpan(8, 9) : ReadOnlySpan<char>.Empty);
            csv.Empty(); // SWDJ
            csv.Empty(); // SYDW
            csv.Empty(); // SHZZ
            csv.Field(Subjects.Representative[s]);
            var representativeId = Subjects.RepresentativeId[s];
            csv.Field(representativeId is null ? string.Empty : "身份证");
            csv.Field(representativeId);
            csv.Field(isPerson ? "身份证" : string.Empty);
            csv.Field(isPerson ? Subjects.Code[s] : string.Empty);
        }

        protected void WriteDecisionNumber(CsvRowWriter csv, int authority, string prefix, DateOnly date)
        {
            var number = ++DecisionNumbers[authority, date.Year - First.Year];
            csv.Field(Text.Clear().Append(prefix).Append('〔').Append(date.Year).Append('〕').Append(number).Append('号'));
        }

        protected void WriteDate(CsvRowWriter csv, DateOnly date) => csv.Field(Text.Clear().AppendIsoDate(date));

        protected void WriteAuthority(CsvRowWriter csv, DemoAuthority authority)
        {
            csv.Field(authority.Name);
            csv.Field(authority.Code);
        }
    }

    private sealed class PenaltyWriter : RowWriter
    {
        private readonly WeightedPicker<(int Authority, PenaltyTemplate Template)>[] _pickers;

        public PenaltyWriter(DemoSubjects subjects, int seed, DateOnly until, ProgressCounter progress)
            : base(subjects, seed, 1, until, progress)
        {
            _pickers = [Picker(SubjectMask.Enterprise), Picker(SubjectMask.Individual), Picker(SubjectMask.Person)];
        }

        protected override void WriteHeader(CsvRowWriter csv) => csv.Header(PenaltyHeader);

        protected override void WriteRow(CsvRowWriter csv, long n)
        {
            var s = Subjects.PickAny(Rng);
            var (a, t) = _pickers[Subjects.Kind[s]].Pick(Rng);
            var authority = DemoAuthorities.All[a];
            var date = NextDecisionDate();
            var kinds = t.Kinds[Rng.Next(t.Kinds.Length)];
            var value = LogUniform(Rng, t.MinValue, t.MaxValue);
            var hasFine = kinds.Contains("罚款", StringComparison.Ordinal);
            var fine = !hasFine ? 0
                : t.FineFromValue ? (long)(value * (50 + Rng.Next(101)))
                : FineInFen(Rng, t.MinFine, t.MaxFine);
            // CF_NR_WFFF holds the amount of illegal income or the value of the confiscated goods.
            var confiscated = kinds.Contains("没收", StringComparison.Ordinal) ? value * 100 : 0;
            var licence = t.Licence.Length == 0 ? "营业执照" : t.Licence;

            WriteSubject(csv, s);
            WriteDecisionNumber(csv, a, authority.PenaltyPrefix, date);
            csv.Field(t.Behaviour);
            csv.Field(ExpandFacts(t.Facts, Subjects.Name[s], date.AddDays(-15 - Rng.Next(120)), value));
            csv.Field(t.Basis);
            csv.Field(kinds);
            csv.Field(PenaltyContent(kinds, fine, confiscated, t.Goods, licence));
            csv.Field(hasFine ? Text.Clear().AppendWanYuan(fine).Span : ReadOnlySpan<char>.Empty);
            csv.Field(confiscated > 0 ? Text.Clear().AppendWanYuan(confiscated).Span : ReadOnlySpan<char>.Empty);
            csv.Field(kinds.Contains("吊销", StringComparison.Ordinal) || kinds.Contains("暂扣", StringComparison.Ordinal) ? licence : string.Empty);
            WriteDate(csv, date);
            WriteDate(csv, date.AddYears(1 + Rng.Next(3)));
            WriteDate(csv, date.AddYears(3));
            WriteAuthority(csv, authority);
            WriteAuthority(csv, authority);
            csv.Empty();
            csv.EndRow();
        }

        private static WeightedPicker<(int, PenaltyTemplate)> Picker(SubjectMask kind)
        {
            var picker = new WeightedPicker<(int, PenaltyTemplate)>();
            for (var a = 0; a < DemoAuthorities.All.Length; a++)
            {
                var authority = DemoAuthorities.All[a];
                foreach (var template in authority.Penalties)
                {
                    // An authority's weight is shared by all its templates, so a filter does not inflate the rest.
                    if ((template.Subjects & kind) != 0)
                    {
                        picker.Add((a, template), Math.Max(1, authority.PenaltyWeight * 120 / authority.Penalties.Length));
                    }
                }
            }

            return picker;
        }

        private ReadOnlySpan<char> ExpandFacts(string template, string name, DateOnly inspected, long value)
        {
            Text.Clear();
            var rest = template.AsSpan();
            while (true)
            {
                var open = rest.IndexOf('{');
                if (open < 0 || open + 2 >= rest.Length)
                {
                    Text.Append(rest);
                    return Text.Span;
                }

                Text.Append(rest[..open]);
                switch (rest[open + 1])
                {
                    case 'M':
                        Text.Append(name);
                        break;
                    case 'D':
                        Text.AppendChineseDate(inspected);
                        break;
                    case 'A':
                        Text.Append("昆山市").Append(DemoNames.KunshanTowns[Rng.Next(DemoNames.KunshanTowns.Length)])
                            .Append(DemoNames.KunshanRoads[Rng.Next(DemoNames.KunshanRoads.Length)]).Append(Rng.Next(1, 999)).Append('号');
                        break;
                    case 'V':
                        Text.Append(value);
                        break;
                    default:
                        Text.Append(2 + Rng.Next(18));
                        break;
                }

                rest = rest[(open + 3)..];
            }
        }

        private ReadOnlySpan<char> PenaltyContent(string kinds, long fine, long confiscated, string goods, string licence)
        {
            Text.Clear();
            var rest = kinds.AsSpan();
            while (rest.Length > 0)
            {
                var end = rest.IndexOf(';');
                var kind = end < 0 ? rest : rest[..end];
                rest = end < 0 ? [] : rest[(end + 1)..];
                if (Text.Length > 0)
                {
                    Text.Append('；');
                }

                switch (kind)
                {
                    case "罚款":
                        Text.Append("罚款人民币").AppendYuan(fine).Append('元');
                        break;
                    case "没收违法所得":
                        Text.Append("没收违法所得人民币").AppendYuan(confiscated).Append('元');
                        break;
                    case "没收非法财物":
                        Text.Append("没收").Append(goods).Append("（价值人民币").AppendYuan(confiscated).Append("元）");
                        break;
                    case "暂扣许可证件":
                        Text.Append("暂扣").Append(licence).Append(1 + Rng.Next(6)).Append("个月");
                        break;
                    case "吊销许可证件":
                        Text.Append("吊销").Append(licence);
                        break;
                    case "责令停产停业":
                        Text.Append("责令停产停业整改").Append(10 + Rng.Next(50)).Append('日');
                        break;
                    case "限制开展生产经营活动":
                        Text.Append("限制开展生产经营活动").Append(1 + Rng.Next(6)).Append("个月");
                        break;
                    case "行政拘留":
                        Text.Append("行政拘留").Append(3 + Rng.Next(13)).Append('日');
                        break;
                    default:
                        Text.Append(kind);
                        break;
                }
            }

            return Text.Span;
        }

        /// <summary>A fine in fen, rounded as officers round them: mostly to 100 or 1,000 yuan.</summary>
        private static long FineInFen(Random rng, int minYuan, int maxYuan)
        {
            if (minYuan <= 0 || maxYuan < minYuan)
            {
                minYuan = 200;
                maxYuan = 2_000;
            }

            var yuan = minYuan * Math.Pow((double)maxYuan / minYuan, rng.NextDouble());
            var r = rng.Next(100);
            if (r < 3)
            {
                return (long)(yuan * 100); // fines computed from a base, to the fen
            }

            if (r < 10)
            {
                return (long)yuan * 100;
            }

            var step = yuan switch
            {
                < 1_000 => 50,
                < 10_000 => 100,
                < 100_000 => 1_000,
                _ => 10_000,
            };
            var rounded = Math.Clamp((long)Math.Round(yuan / step) * step, minYuan, maxYuan);
            return rounded * 100;
        }
    }

    private sealed class LicenceWriter : RowWriter
    {
        private readonly WeightedPicker<(int Authority, LicenceTemplate Template)>[] _pickers;

        public LicenceWriter(DemoSubjects subjects, int seed, DateOnly until, ProgressCounter progress)
            : base(subjects, seed, 2, until, progress)
        {
            _pickers = [Picker(SubjectMask.Enterprise), Picker(SubjectMask.Individual)];
        }

        protected override void WriteHeader(CsvRowWriter csv) => csv.Header(LicenceHeader);

        protected override void WriteRow(CsvRowWriter csv, long n)
        {
            // Licences go to businesses: no template is for natural persons.
            var s = Subjects.PickBusiness(Rng);
            var (a, t) = _pickers[Subjects.Kind[s]].Pick(Rng);
            var authority = DemoAuthorities.All[a];
            var date = NextDecisionDate();

            WriteSubject(csv, s);
            csv.Field(t.Document);
            WriteDecisionNumber(csv, a, authority.LicencePrefix, date);
            csv.Field(t.Category);
            csv.Field(t.Certificate);
            csv.Field(LicenceNumber(t.NumberFormat, n + 1));
            csv.Field(t.Contents[Rng.Next(t.Contents.Length)]);
            WriteDate(csv, date);
            WriteDate(csv, date);
            WriteDate(csv, Rng.Next(100) < t.PermanentPercent
                ? NoExpiry
                : date.AddYears(t.MinYears + Rng.Next(t.MaxYears - t.MinYears + 1)).AddDays(-1));
            WriteAuthority(csv, authority);
            csv.Field("1");
            WriteAuthority(csv, authority);
            csv.Empty();
            csv.EndRow();
        }

        private static WeightedPicker<(int, LicenceTemplate)> Picker(SubjectMask kind)
        {
            var picker = new WeightedPicker<(int, LicenceTemplate)>();
            for (var a = 0; a < DemoAuthorities.All.Length; a++)
            {
                var authority = DemoAuthorities.All[a];
                foreach (var template in authority.Licences)
                {
                    if ((template.Subjects & kind) != 0)
                    {
                        picker.Add((a, template), Math.Max(1, authority.LicenceWeight * 120 / authority.Licences.Length));
                    }
                }
            }

            return picker;
        }

        /// <summary>The running row number makes every licence number unique within the file.</summary>
        private ReadOnlySpan<char> LicenceNumber(string format, long sequence)
        {
            var at = format.IndexOf("{S}", StringComparison.Ordinal);
            Text.Clear().Append(format.AsSpan(0, at)).AppendPadded(sequence, 7).Append(format.AsSpan(at + 3));
            return Text.Span;
        }
    }

    private static long LogUniform(Random rng, int min, int max) => (long)(min * Math.Pow((double)max / min, rng.NextDouble()));
}
