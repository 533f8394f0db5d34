using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Xinyong.WebBench;

/// <summary>
/// A progress bar on a terminal (Spectre.Console); plain timestamped lines every 10 s when the output goes to a log
/// file, so that a long seed run in the background can be followed with tail.
/// </summary>
internal static class ConsoleProgress
{
    public static async Task<T> RunAsync<T>(string title, long max, Func<Action<long>, Task<T>> work)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, max));
                    var result = await work(v => task.Value = v);
                    task.Value = task.MaxValue;
                    return result;
                });
        }
        var sw = Stopwatch.StartNew();
        long current = 0;
        using var timer = new Timer(_ => Line(title, Interlocked.Read(ref current), max, sw.Elapsed), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        var value = await work(v => Interlocked.Exchange(ref current, v));
        Line(title, max, max, sw.Elapsed);
        return value;
    }

    public static void Say(string text) => AnsiConsole.MarkupLine($"[grey]{DateTime.UtcNow:HH:mm:ss}[/] {Markup.Escape(text)}");

    private static void Line(string title, long value, long max, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? value / elapsed.TotalSeconds : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:HH:mm:ss} {title}: {value:N0} / {max:N0} ({100.0 * value / Math.Max(1, max):F1} %), {rate:N0}/s, {elapsed.TotalSeconds:F0} s"));
    }
}
