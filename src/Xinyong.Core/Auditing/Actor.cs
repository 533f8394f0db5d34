namespace Xinyong.Core.Auditing;

public enum ActorKind { User, ApiToken, Cli, System }

/// <summary>Who did something: a signed-in person, a department system (API token), a CLI operator or the platform.</summary>
public sealed record Actor(ActorKind Kind, string Name, long? DepartmentId = null)
{
    public static readonly Actor SystemActor = new(ActorKind.System, "system");

    public string KindCode => Kind switch
    {
        ActorKind.User => "user",
        ActorKind.ApiToken => "token",
        ActorKind.Cli => "cli",
        _ => "system",
    };

    public override string ToString() => $"{KindCode}:{Name}";
}
