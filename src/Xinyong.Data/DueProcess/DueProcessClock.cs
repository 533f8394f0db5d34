namespace Xinyong.Data.DueProcess;

/// <summary>Due-process dates are China dates (deadlines are counted on the official calendar of UTC+8).</summary>
public static class DueProcessClock
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);
    }
}
