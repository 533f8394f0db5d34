using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.Commitments;

namespace Xinyong.Data.Commitments;

public static class CommitmentServices
{
    /// <summary>Commitment kinds, store, import, public reads and coverage figures.</summary>
    public static IServiceCollection AddCommitments(this IServiceCollection services)
    {
        services.AddSingleton(_ => CommitmentKindCatalogue.LoadDefault());
        services.AddSingleton<BreachRecords>();
        services.AddSingleton<CommitmentStore>();
        services.AddSingleton<CommitmentImport>();
        services.AddSingleton<PublicCommitments>();
        services.AddSingleton<CommitmentCoverage>();
        return services;
    }
}
