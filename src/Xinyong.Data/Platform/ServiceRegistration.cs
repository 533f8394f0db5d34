using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xinyong.Core.Calendar;
using Xinyong.Core.Catalogue;
using Xinyong.Data.Accounts;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;
using Xinyong.Data.Departments;
using Xinyong.Data.Ingestion;
using Xinyong.Data.Publication;
using Xinyong.Core.Publication;
using Xinyong.Data.Statistics;
using Xinyong.Data.Subjects;

namespace Xinyong.Data.Platform;

public static class ServiceRegistration
{
    /// <summary>Registers the database chosen by configuration and every store and service built on it.</summary>
    public static IServiceCollection AddXinyongData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(DatabaseOptions.FromConfiguration(configuration));
        services.AddSingleton<XinyongDatabase>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => RecordCatalogue.LoadDefault());
        services.AddSingleton(_ => WorkingDayCalendar.LoadDefault());
        services.AddSingleton<AuditLog>();
        services.AddSingleton<DepartmentStore>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<SubjectStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<CollectionStatistics>();
        services.AddSingleton<IngestionRunner>();
        services.AddSingleton(_ => PublicationRules.LoadDefault());
        services.AddSingleton<PublicationEngine>();
        services.AddSingleton<PublicationProjector>();
        services.AddSingleton<PublicRecords>();
        Xinyong.Data.Commitments.CommitmentServices.AddCommitments(services);
        services.AddSingleton<Xinyong.Data.Articles.ArticleStore>();
        services.AddSingleton<PlatformSetup>();
        services.AddSingleton<Xinyong.Data.Search.SubjectNames>();
        services.AddSingleton<Xinyong.Data.Search.SubjectSearchIndex>();
        services.AddSingleton<Xinyong.Data.Search.SubjectSearch>();
        services.AddSingleton(_ => Xinyong.Core.Lists.ListTypeCatalogue.LoadDefault());
        services.AddSingleton<Xinyong.Data.Lists.ListEntries>();
        services.AddSingleton<Xinyong.Data.Lists.ListStore>();
        services.AddSingleton<Xinyong.Data.Lists.ListImporter>();
        services.AddSingleton(_ => Xinyong.Core.DueProcess.DueProcessRules.LoadDefault());
        services.AddSingleton<Xinyong.Data.DueProcess.CaseFiles>();
        services.AddSingleton<Xinyong.Data.Objections.OpenObjections>();
        services.AddSingleton<Xinyong.Data.Objections.ObjectionCorrections>();
        services.AddSingleton<Xinyong.Data.Objections.ObjectionStore>();
        services.AddSingleton<Xinyong.Data.Repair.RepairStore>();
        services.AddSingleton(_ => Xinyong.Core.Measures.MeasureRules.LoadDefault(int.TryParse(configuration["Measures:FeedbackWorkingDays"], System.Globalization.CultureInfo.InvariantCulture, out var days) ? days : null));
        services.AddSingleton<Xinyong.Data.Measures.MeasureCatalogueStore>();
        services.AddSingleton<Xinyong.Data.Measures.SubjectRoleStore>();
        services.AddSingleton<Xinyong.Data.Measures.LenientRuleStore>();
        services.AddSingleton<Xinyong.Data.Measures.MeasureQueries>();
        services.AddSingleton<Xinyong.Data.Measures.MeasureStatistics>();
        services.AddSingleton<Xinyong.Core.Checks.CheckEvaluator>();
        services.AddSingleton<Xinyong.Data.Checks.ICheckObjections, Xinyong.Data.Checks.CheckObjections>();
        services.AddSingleton<Xinyong.Data.Checks.CheckPurposeStore>();
        services.AddSingleton<Xinyong.Data.Checks.CheckRuns>();
        services.AddSingleton<Xinyong.Data.Checks.SubjectMatcher>();
        services.AddSingleton<Xinyong.Data.Checks.CheckFacts>();
        services.AddSingleton<Xinyong.Data.Checks.CheckRunner>();
        services.AddSingleton(_ => Xinyong.Core.Reports.ReportPurposeCatalogue.LoadDefault());
        services.AddSingleton<Xinyong.Data.Reports.ReportComposer>();
        services.AddSingleton<Xinyong.Data.Reports.ReportStore>();
        services.AddSingleton<Xinyong.Data.Reports.ReportVerifier>();
        services.AddSingleton<Xinyong.Data.DueProcess.DueProcessStatistics>();
        return services;
    }
}
