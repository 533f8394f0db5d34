using System.Diagnostics;
using System.Globalization;
using Xinyong.Core.Ingestion.Sources;
using Xunit.Abstractions;

namespace Xinyong.Core.Tests.Ingestion;

/// <summary>
/// Volume test. GC.GetTotalMemory is process-wide, so it runs alone (not in parallel with other
/// test classes) to keep other tests' live objects out of the measurement.
/// </summary>
[Collection(nameof(XlsxVolumeCollection))]
public sealed class XlsxTableVolumeTests(ITestOutputHelper output)
{
    [Fact]
    public void WriteThenRead_200000RowsBy28Columns_KeepsManagedMemoryFlat()
    {
        const int rowCount = 200_000;
        const int columns = 28;
        string[] header = Enumerable.Range(1, columns).Select(i => $"字段{i:00}").ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"xlsx-volume-{Guid.NewGuid():N}.xlsx");
        try
        {
            // Write, sampling live managed memory.
            long writeBaseline = LiveBytes();
            long writePeak = 0;
            var watch = Stopwatch.StartNew();
            using (FileStream fs = File.Create(path))
            using (var writer = new XlsxTableWriter(fs, "数据", header))
            {
                var row = new string?[columns];
                for (int i = 0; i < rowCount; i++)
                {
                    FillRow(row, i);
                    writer.WriteRow(row);
                    if (i % 20_000 == 0)
                    {
                        writePeak = Math.Max(writePeak, LiveBytes() - writeBaseline);
                    }
                }
            }

            watch.Stop();
            double writeSeconds = watch.Elapsed.TotalSeconds;

            // Read once with memory sampling.
            long readBaseline = LiveBytes();
            long readPeak = 0;
            int count = 0;
            var expected = new string?[columns];
            using (var reader = new XlsxTableReader(File.OpenRead(path)))
            {
                reader.Header.ShouldBe(header);
                while (reader.Read())
                {
                    if (count % 20_000 == 0 || count == rowCount - 1)
                    {
                        FillRow(expected, count);
                        reader.Current.ShouldBe(expected);
                        reader.RowNumber.ShouldBe(count + 2L);
                        readPeak = Math.Max(readPeak, LiveBytes() - readBaseline);
                    }

                    count++;
                }
            }

            count.ShouldBe(rowCount);

            // Read again, timed, without sampling.
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            watch.Restart();
            long chars = 0;
            using (var reader = new XlsxTableReader(File.OpenRead(path)))
            {
                while (reader.Read())
                {
                    foreach (string? cell in reader.Current)
                    {
                        chars += cell?.Length ?? 0;
                    }
                }
            }

            watch.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            double readSeconds = watch.Elapsed.TotalSeconds;

            output.WriteLine($"file: {new FileInfo(path).Length / 1048576.0:F1} MiB, {chars} chars read");
            output.WriteLine($"write: {writeSeconds:F2} s ({rowCount / writeSeconds:F0} rows/s), live managed growth peak {writePeak / 1048576.0:F2} MiB");
            output.WriteLine($"read:  {readSeconds:F2} s ({rowCount / readSeconds:F0} rows/s), live managed growth peak {readPeak / 1048576.0:F2} MiB, allocated {allocated / 1048576.0:F0} MiB");

            readPeak.ShouldBeLessThan(50L * 1024 * 1024);
            writePeak.ShouldBeLessThan(50L * 1024 * 1024);
        }
        finally
        {
            File.Delete(path);
        }

        static long LiveBytes() => GC.GetTotalMemory(forceFullCollection: true);
    }

    internal static void FillRow(string?[] row, int i)
    {
        row[0] = $"9111{i:D8}MA0{i % 10}X";
        row[1] = $"北京市第{i}号科技有限公司";
        row[2] = i % 7 == 0 ? null : $"张{i % 100}";
        row[3] = $"1101011990{i % 100000:D6}{i % 10}X"[..18];
        row[4] = $"2024-{(i % 12) + 1:00}-{(i % 28) + 1:00}";
        row[5] = (i * 1.25).ToString(CultureInfo.InvariantCulture);
        for (int c = 6; c < row.Length; c++)
        {
            row[c] = (i + c) % 5 == 0 ? null : $"第{c}列：行政处罚决定书文号 京市监罚〔2024〕{i}号";
        }
    }
}

[CollectionDefinition(nameof(XlsxVolumeCollection), DisableParallelization = true)]
public sealed class XlsxVolumeCollection;
