namespace Xinyong.Core.Ingestion;

/// <summary>
/// Something wrong with one cell or row of a submission, worded for the clerk who has to fix it.
/// <paramref name="Code"/> is stable (used for statistics by reason); the messages are the user's language.
/// </summary>
public sealed record RowIssue(string Field, string? Value, string Code, string MessageZh, string MessageEn);

/// <summary>A problem with the file as a whole (it cannot be processed at all), or a note about it.</summary>
public sealed record FileIssue(string Code, string MessageZh, string MessageEn, bool Fatal);
