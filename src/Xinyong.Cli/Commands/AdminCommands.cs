using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Data.Accounts;
using Xinyong.Data.Departments;
using Xinyong.Data.Platform;

namespace Xinyong.Cli.Commands;

/// <summary>Administration: schema, member units, staff accounts and department API tokens.</summary>
internal static class AdminCommands
{
    public static Command Database()
    {
        var migrate = new Command("migrate", "Create or upgrade the schema and load member units");
        migrate.SetAction(async (_, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            Console.WriteLine("schema up to date");
            return 0;
        });
        var demo = new Command("demo", "Load demo accounts and data into an empty database");
        var subjects = new Option<int>("--subjects") { DefaultValueFactory = _ => 3000 };
        var records = new Option<int>("--records") { DefaultValueFactory = _ => 30000 };
        demo.Add(subjects);
        demo.Add(records);
        demo.SetAction(async (parse, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            var loaded = await services.GetRequiredService<PlatformSetup>().LoadDemoAsync(parse.GetValue(subjects), parse.GetValue(records), new Progress<string>(Console.WriteLine), ct);
            Console.WriteLine(loaded ? "demo data loaded" : "database already has submissions; demo data not loaded");
            return 0;
        });
        return new Command("db", "Database") { migrate, demo };
    }

    public static Command Departments()
    {
        var list = new Command("list", "List member units with their codes");
        list.SetAction(async (_, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            foreach (var d in await services.GetRequiredService<DepartmentStore>().ListAsync(ct))
                Console.WriteLine($"{d.Code}\t{d.Name}\t{d.FullName}\t{d.Kind}");
            return 0;
        });
        return new Command("departments", "Member units") { list };
    }

    public static Command Users()
    {
        var username = new Option<string>("--username") { Required = true };
        var name = new Option<string?>("--name") { Description = "Display name" };
        var role = new Option<string>("--role") { Description = "admin or officer", Required = true };
        var department = new Option<string?>("--department") { Description = "Department code or name (officers)" };
        var password = new Option<string?>("--password") { Description = "Password; read from XINYONG_PASSWORD when omitted" };
        var add = new Command("add", "Create a staff account") { username, name, role, department, password };
        add.SetAction(async (parse, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            long? deptId = null;
            if (parse.GetValue(department) is { } d)
            {
                var dept = await services.GetRequiredService<DepartmentStore>().FindAsync(d, ct);
                if (dept is null)
                {
                    Console.Error.WriteLine($"未知的单位“{d}” / unknown department '{d}'");
                    return 2;
                }
                deptId = dept.Id;
            }
            var pw = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("XINYONG_PASSWORD");
            if (string.IsNullOrEmpty(pw))
            {
                Console.Error.WriteLine("需要密码：--password 或环境变量 XINYONG_PASSWORD / a password is required");
                return 2;
            }
            try
            {
                var u = await services.GetRequiredService<AccountStore>().CreateUserAsync(parse.GetValue(username)!, parse.GetValue(name) ?? parse.GetValue(username)!, pw,
                    parse.GetValue(role)!, deptId, CliHost.Operator(), ct);
                Console.WriteLine($"user {u.Id} {u.Username} ({u.Role}) created");
                return 0;
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
        });
        return new Command("users", "Staff accounts") { add };
    }

    public static Command Tokens()
    {
        var department = new Option<string>("--department") { Required = true, Description = "Department code or name" };
        var name = new Option<string>("--name") { Required = true, Description = "Which system uses the token" };
        var create = new Command("create", "Create an API token for a department system (shown once)") { department, name };
        create.SetAction(async (parse, ct) =>
        {
            await using var services = await CliHost.StartAsync(ct);
            var dept = await services.GetRequiredService<DepartmentStore>().FindAsync(parse.GetValue(department)!, ct);
            if (dept is null)
            {
                Console.Error.WriteLine("未知的单位 / unknown department");
                return 2;
            }
            var (info, secret) = await services.GetRequiredService<AccountStore>().CreateTokenAsync(dept.Id, parse.GetValue(name)!, CliHost.Operator(), ct);
            Console.WriteLine(secret);
            Console.Error.WriteLine($"token {info.Id} for {dept.Name}; store it now, it is not shown again");
            return 0;
        });
        return new Command("tokens", "API tokens for department systems") { create };
    }
}
