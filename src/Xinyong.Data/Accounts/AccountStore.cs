using System.Security.Cryptography;
using System.Text;
using Dapper;
using Xinyong.Core.Auditing;
using Xinyong.Data.Auditing;
using Xinyong.Data.Database;

namespace Xinyong.Data.Accounts;

public static class Roles
{
    /// <summary>The credit office administrator: sees and manages everything.</summary>
    public const string Admin = "admin";

    /// <summary>A department officer: sees and writes only its own department's submissions.</summary>
    public const string Officer = "officer";
}

public sealed record StaffUser
{
    public long Id { get; init; }
    public string Username { get; init; } = default!;
    public string DisplayName { get; init; } = default!;
    public string PasswordHash { get; init; } = default!;
    public string Role { get; init; } = default!;
    public long? DepartmentId { get; init; }
    public bool Disabled { get; init; }

    public bool IsAdmin => Role == Roles.Admin;
}

public sealed record ApiTokenInfo
{
    public long Id { get; init; }
    public long DepartmentId { get; init; }
    public string Name { get; init; } = default!;
    public string Prefix { get; init; } = default!;
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; init; }
}

/// <summary>Staff accounts and per-department API tokens for department systems.</summary>
public sealed class AccountStore(XinyongDatabase db, AuditLog audit, TimeProvider clock)
{
    public async Task<StaffUser> CreateUserAsync(string username, string displayName, string password, string role, long? departmentId, Actor actor, CancellationToken ct = default)
    {
        if (role != Roles.Admin && role != Roles.Officer) throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        if (role == Roles.Officer && departmentId is null) throw new ArgumentException("A department officer needs a department.", nameof(departmentId));
        if (password.Length < 8) throw new ArgumentException("A password needs at least 8 characters.", nameof(password));
        await using var conn = await db.OpenAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO users (username, display_name, password_hash, role, department_id, disabled, created_at) VALUES (@username, @displayName, @hash, @role, @departmentId, @disabled, @at) RETURNING id",
            new { username, displayName, hash = Passwords.Hash(password), role, departmentId, disabled = false, at = clock.GetUtcNow().UtcDateTime });
        await audit.WriteAsync(actor, "user.create", "user", id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { username, role, departmentId }, conn, ct: ct);
        return new StaffUser { Id = id, Username = username, DisplayName = displayName, PasswordHash = "", Role = role, DepartmentId = departmentId };
    }

    public async Task<StaffUser?> FindUserAsync(string username, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<StaffUser>(
            "SELECT id, username, display_name, password_hash, role, department_id, disabled FROM users WHERE username = @username", new { username });
    }

    /// <summary>Checks a password; null when the user does not exist, is disabled or the password is wrong.</summary>
    public async Task<StaffUser?> SignInAsync(string username, string password, CancellationToken ct = default)
    {
        var user = await FindUserAsync(username, ct);
        if (user is null || user.Disabled || !Passwords.Verify(password, user.PasswordHash)) return null;
        await audit.WriteAsync(new Actor(ActorKind.User, user.Username, user.DepartmentId), "user.sign_in", "user", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ct: ct);
        return user;
    }

    /// <summary>Creates a token for a department system; the secret is returned once and only its hash is stored.</summary>
    public async Task<(ApiTokenInfo Info, string Secret)> CreateTokenAsync(long departmentId, string name, Actor actor, CancellationToken ct = default)
    {
        var secret = "xy_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var prefix = secret[..9];
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(
            "INSERT INTO api_tokens (department_id, name, prefix, token_hash, created_by, created_at) VALUES (@departmentId, @name, @prefix, @hash, @by, @now) RETURNING id",
            new { departmentId, name, prefix, hash = HashToken(secret), by = actor.ToString(), now });
        await audit.WriteAsync(actor, "token.create", "api_token", id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { departmentId, name, prefix }, conn, ct: ct);
        return (new ApiTokenInfo { Id = id, DepartmentId = departmentId, Name = name, Prefix = prefix, CreatedAt = now }, secret);
    }

    public async Task<ApiTokenInfo?> ValidateTokenAsync(string secret, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ApiTokenInfo>(
            "SELECT id, department_id, name, prefix, created_at, revoked_at FROM api_tokens WHERE token_hash = @hash AND revoked_at IS NULL",
            new { hash = HashToken(secret) });
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListTokensAsync(long? departmentId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<ApiTokenInfo>(
            "SELECT id, department_id, name, prefix, created_at, revoked_at FROM api_tokens WHERE (@departmentId IS NULL OR department_id = @departmentId) ORDER BY id",
            new { departmentId })).ToList();
    }

    public async Task<bool> RevokeTokenAsync(long id, Actor actor, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var n = await conn.ExecuteAsync("UPDATE api_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", new { id, now = clock.GetUtcNow().UtcDateTime });
        if (n > 0) await audit.WriteAsync(actor, "token.revoke", "api_token", id.ToString(System.Globalization.CultureInfo.InvariantCulture), conn: conn, ct: ct);
        return n > 0;
    }

    private static string HashToken(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
