using System.Collections;
using System.Reflection;
using Kcc.Workbench.Tests.Support;
using Kcc.Workbench.Web.Infrastructure;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kcc.Workbench.Tests.Infrastructure;

/// <summary>
/// Every request type, sent by a role that may send it, with generated bad input in each of its text, number,
/// date, enum and list fields: the answer is a Dutch validation message or a success — never an exception
/// (a 500) and never a partial write.
/// </summary>
public class MalformedInputTests
{
    private static readonly string[] BadTexts =
    [
        "",
        "   ",
        new string('x', 100_000),
        "<script>alert('x')</script>",
        "abc\u0000\u0007\u001b",
        "1234567890123456789012345678901234567890",
        "'; DROP TABLE Contacts; --",
        "\ud83d\ude00 emoji en ĳ ligatuur",
    ];

    private static readonly string[] EnglishDefaults = [" must ", " should ", "is not a valid", "is required", "must not"];

    public static TheoryData<string> RequestTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in MediatorRegistration.RequestTypes(typeof(Program).Assembly).OrderBy(t => t.FullName))
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RequestTypes))]
    public async Task Bad_input_gets_a_dutch_message_or_succeeds_and_never_throws_or_half_writes(string requestTypeName)
    {
        var type = typeof(Program).Assembly.GetType(requestTypeName)!;
        var role = type.GetCustomAttribute<AllowedForAttribute>()!.Roles[0];
        await using var app = await TestApp.CreateAsync();
        await app.SignInAsAsync(role);
        var tried = 0;

        foreach (var request in Variants(type))
        {
            tried++;
            var before = await CountRowsAsync(app);
            object? response;
            try
            {
                response = await SendAsync(app, request);
            }
            catch (Exception exception)
            {
                Assert.Fail($"{type.Name} threw {exception.GetType().Name} for {Describe(request)}: {exception.Message}");
                return;
            }

            if (response is ResultBase { Succeeded: false } failed)
            {
                Assert.All(failed.Errors.Values.SelectMany(m => m), message =>
                {
                    Assert.False(string.IsNullOrWhiteSpace(message), $"{type.Name}: empty message");
                    Assert.DoesNotContain(EnglishDefaults, english => message.Contains(english, StringComparison.OrdinalIgnoreCase));
                });
                Assert.Equal(before, await CountRowsAsync(app));
            }
        }

        Assert.True(tried > 0);
        lock (Figures)
        {
            var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "kcc-figures"));
            File.AppendAllText(Path.Combine(folder.FullName, "malformed-inputs.txt"), $"{type.FullName}\t{tried}{Environment.NewLine}");
        }
    }

    private static readonly object Figures = new();

    /// <summary>A baseline instance, then one variant per field and bad value.</summary>
    private static IEnumerable<object> Variants(Type type)
    {
        yield return Create(type);
        foreach (var property in Settable(type))
        {
            foreach (var value in BadValues(property.PropertyType))
            {
                var request = Create(type);
                property.SetValue(request, value);
                yield return request;
            }
        }
    }

    private static object?[] BadValues(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return [.. BadTexts];
        }

        if (underlying == typeof(int))
        {
            return [-1, 0, int.MaxValue];
        }

        if (underlying == typeof(long))
        {
            return [-1L, long.MaxValue];
        }

        if (underlying == typeof(DateTime))
        {
            return [DateTime.MinValue, new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc)];
        }

        if (underlying == typeof(DateOnly))
        {
            return [DateOnly.MinValue, DateOnly.MaxValue];
        }

        if (underlying.IsEnum)
        {
            return [Enum.ToObject(underlying, 999)];
        }

        if (underlying == typeof(byte[]))
        {
            return [Array.Empty<byte>(), "\u0000\u0001 geen csv"u8.ToArray()];
        }

        if (ListElement(type) is { } element)
        {
            if (element == typeof(string))
            {
                return [BadTexts.ToList()];
            }

            if (!element.IsValueType)
            {
                // One element per bad field of the element type, so nested validators are exercised too.
                return [Settable(element).SelectMany(p => BadValues(p.PropertyType).Select(v =>
                {
                    var item = Create(element);
                    p.SetValue(item, v);
                    return item;
                })).Prepend(Create(element)).Take(40).ToList().ToTypedList(element)];
            }
        }

        return [];
    }

    private static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");

    private static object Create(Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is { } empty)
        {
            return empty.Invoke(null);
        }

        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke(constructor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : Default(p.ParameterType)).ToArray());
    }

    private static object? Default(Type type) =>
        type == typeof(string) ? "" : ListElement(type) is { } element ? Array.CreateInstance(element, 0) : type.IsValueType ? Activator.CreateInstance(type) : null;

    private static async Task<object?> SendAsync(TestApp app, object request)
    {
        var response = request.GetType().GetInterfaces().First(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>)).GetGenericArguments()[0];
        var send = typeof(IMediator).GetMethod(nameof(IMediator.Send))!.MakeGenericMethod(response);
        await using var scope = app.Services.CreateAsyncScope();
        var task = (Task)send.Invoke(scope.ServiceProvider.GetRequiredService<IMediator>(), [request, CancellationToken.None])!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task);
    }

    private static async Task<long> CountRowsAsync(TestApp app)
    {
        await using var db = await app.CreateDbContextAsync();
        var tables = await db.Database.SqlQueryRaw<string>(TestDatabase.TableNamesSql("ContactDrafts")).ToListAsync();
        long total = 0;
        foreach (var table in tables)
        {
            // Table names come from the database's catalogue, not from input.
            var sql = "SELECT COUNT(*) AS \"Value\" FROM \"" + table + "\"";
            total += await db.Database.SqlQueryRaw<long>(sql).SingleAsync();
        }

        return total;
    }

    private static string Describe(object request) => request.ToString() is { Length: > 300 } text ? text[..300] + "…" : request.ToString() ?? "";
}

internal static class ListExtensions
{
    public static object ToTypedList(this List<object> items, Type element)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
