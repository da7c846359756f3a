"""The § 512(i) repeat-infringer policy as the operator writes it in the environment.

`REPEAT_POLICY` lists the steps as `count:action` pairs, e.g.
`1:forward,3:warning,6:final_warning,10:suspension_review,13:termination_review`: when a
subscriber's counted notices within the rolling window reach a step's count, the desk
takes that step. Read and checked once, when the settings load, so a mistyped policy
stops the desk from starting instead of leaving subscribers unwarned.
"""

from typing import NamedTuple

ACTIONS = {
    "forward": "Notices forwarded to the customer",
    "warning": "Warning, to be acknowledged",
    "final_warning": "Final warning, to be acknowledged",
    "suspension_review": "Suspension review by the Designated Agent",
    "termination_review": "Termination review by the Designated Agent",
}
# Each step as the published policy and the customer's letters put it.
PUBLIC_WORDS = {
    "forward": "each notice is forwarded to the customer",
    "warning": "a written warning, which the customer acknowledges",
    "final_warning": "a final written warning, which the customer acknowledges",
    "suspension_review": (
        "a review of the account by our Designated Agent, who decides whether to suspend "
        "the service"
    ),
    "termination_review": (
        "a review of the account by our Designated Agent, who decides whether to terminate "
        "the service"
    ),
}
# Steps the Designated Agent decides: they wait on the desk's queue until decided.
AGENT_ACTIONS = ("suspension_review", "termination_review")
# Steps whose letter asks the customer to acknowledge it on a private link.
ACKNOWLEDGED_ACTIONS = ("warning", "final_warning")

DEFAULT = "1:forward,3:warning,6:final_warning,10:suspension_review,13:termination_review"


class Step(NamedTuple):
    count: int
    action: str

    @property
    def label(self) -> str:
        return ACTIONS[self.action]

    @property
    def public_words(self) -> str:
        return PUBLIC_WORDS[self.action]

    @property
    def needs_agent(self) -> bool:
        return self.action in AGENT_ACTIONS


def parse_policy(text: str) -> tuple[Step, ...]:
    """The steps in order of their counts; ValueError names what is wrong."""
    steps = []
    for part in (p.strip() for p in text.split(",")):
        count, colon, action = part.partition(":")
        if not colon or not count.strip().isdigit():
            raise ValueError(f"{part!r} is not count:action (for example 3:warning).")
        if action.strip() not in ACTIONS:
            raise ValueError(f"{action.strip()!r} is no step; the steps are {', '.join(ACTIONS)}.")
        steps.append(Step(int(count), action.strip()))
    if not steps:
        raise ValueError("The policy has no step.")
    counts = [step.count for step in steps]
    if counts[0] < 1 or counts != sorted(set(counts)):
        raise ValueError("Each step needs a larger count than the one before, from 1 up.")
    actions = [step.action for step in steps]
    if len(set(actions)) != len(actions):
        raise ValueError("Each step may appear once.")
    if not any(step.needs_agent for step in steps):
        # § 512(i)(1)(A): a policy that never reaches an agent's decision terminates nobody.
        raise ValueError("The policy needs a suspension or termination review.")
    return tuple(steps)
