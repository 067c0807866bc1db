"""What the auth endpoints take and return."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from shopcrm.auth.models import Role
from shopcrm.auth.passwords import MAX_LENGTH, MIN_LENGTH, POLICY
from shopcrm.core.types import Days, Email

# A password being set: the length is checked here, the rest of the policy by the service (a 422 naming
# the field either way).
NewPassword = Annotated[str, Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH, description=POLICY)]


class StrictIn(BaseModel):
    """Base for request bodies: unknown fields are refused, so nothing can be mass-assigned."""

    model_config = ConfigDict(extra="forbid")


class LoginIn(StrictIn):
    # Not validated as an address: a malformed one simply fails to log in, like a wrong password.
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    role: Role


class LoginOut(BaseModel):
    user: UserOut
    csrf_token: str


class ApiTokenIn(StrictIn):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]+$")
    expires_in_days: Days | None = None


class ApiTokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None


class ApiTokenCreated(ApiTokenOut):
    token: str = Field(description="The secret; shown only in this response")


class ApiTokenList(BaseModel):
    items: list[ApiTokenOut]
    total: int


class UserCreate(StrictIn):
    email: Email
    full_name: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00]+$")
    role: Role
    password: NewPassword


class UserUpdate(StrictIn):
    full_name: str | None = Field(default=None, min_length=1, max_length=200, pattern=r"^[^\x00]+$")
    role: Role | None = None
    is_active: StrictBool | None = None


class UserAdminOut(UserOut):
    is_active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None


class UserList(BaseModel):
    items: list[UserAdminOut]
    total: int


class PasswordChange(StrictIn):
    current_password: str = Field(min_length=1, max_length=MAX_LENGTH)
    new_password: NewPassword


class PasswordReset(StrictIn):
    new_password: NewPassword
    revoke_tokens: StrictBool = Field(
        default=False, description="Also revoke every API token of the user (when the account may be compromised)"
    )
