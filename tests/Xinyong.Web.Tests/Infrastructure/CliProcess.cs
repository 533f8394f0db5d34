using System.Diagnostics;

namespace Xinyong.Web.Tests.Infrastructure;

/// <summary>Runs the real `xinyong` executable (built beside the tests) against a SQLite database, as a user would.</summary>
public static class CliProcess
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string dbPath, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "xinyong.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["Database__Provider"] = "sqlite";
        psi.Environment["Database__ConnectionString"] = $"Data Source={dbPath}";
        psi.Environment["XINYONG_ACTOR"] = "cli-tester";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}
