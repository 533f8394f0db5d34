using System.CommandLine;
using Xinyong.Cli.Commands;

var root = new RootCommand("xinyong — 信用 public credit information platform: collection, codes and demo data")
{
    CodesCommand.Create(),
    IngestCommand.Create(),
    DemoCommand.Create(),
    AdminCommands.Database(),
    AdminCommands.Users(),
    AdminCommands.Tokens(),
    AdminCommands.Departments(),
    PublicationCommand.Create(),
    MeasuresCommand.Create(),
    ListsCommand.Create(),
    CommitmentsCommand.Create(),
    CheckCommand.Create(),
    DueProcessCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
