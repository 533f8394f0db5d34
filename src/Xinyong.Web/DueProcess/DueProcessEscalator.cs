using Xinyong.Core.Auditing;
using Xinyong.Data.Objections;
using Xinyong.Data.Repair;

namespace Xinyong.Web.DueProcess;

/// <summary>
/// Escalates overdue objections and repair applications to the credit office (once each, with a notice). Runs every
/// DueProcess:EscalateMinutes (default 60); the first run waits one interval so a starting server does not race its callers.
/// </summary>
public sealed class DueProcessEscalator(ObjectionStore objections, RepairStore repairs, IConfiguration configuration, ILogger<DueProcessEscalator> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = configuration.GetValue("DueProcess:EscalateMinutes", 60);
        if (minutes <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var o = await objections.EscalateOverdueAsync(Actor.SystemActor, stoppingToken);
                var r = await repairs.EscalateOverdueAsync(Actor.SystemActor, stoppingToken);
                if (o + r > 0) log.LogInformation("Due process: {Objections} objections and {Repairs} repair applications escalated to the credit office", o, r);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Due-process escalation failed");
            }
        }
    }
}
