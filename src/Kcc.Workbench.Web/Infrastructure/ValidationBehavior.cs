using FluentValidation;
using MediatR;

namespace Kcc.Workbench.Web.Infrastructure;

/// <summary>
/// Checks the rules every request obeys (<see cref="InputRules"/>: no nulls where a value is required, no empty list
/// items, no control characters in any text), then runs the request's FluentValidation validators, before the handler.
/// Failures come back as a failed Result with Dutch messages per field, so the form can show them next to the field
/// and keep what was typed. The request's own validators only run on input that passed the common rules, so they
/// never meet a null they did not expect. The common rules apply to requests answered with a Result (everything that
/// changes data); a query answered with data reads text as search terms and cannot answer "refused".
/// </summary>
internal sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var failures = typeof(ResultBase).IsAssignableFrom(typeof(TResponse))
            ? InputRules.Check(request!).Select(f => new FluentValidation.Results.ValidationFailure(f.Key, f.Value)).ToList()
            : [];
        foreach (var validator in failures.Count == 0 ? validators : [])
        {
            var result = await validator.ValidateAsync(request, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count == 0)
        {
            return await next();
        }

        var errors = failures
            .GroupBy(f => f.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        if (ResultFactory.TryCreateFailure<TResponse>(errors, out var failed))
        {
            return failed;
        }

        throw new ValidationException(failures);
    }
}
