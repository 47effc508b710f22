/**
 * The Partner Center Referral as the connector reads it (spec note §1.3), as TypeBox
 * schemas: only the members the mapping uses are checked, every one may be missing or null
 * (the service omits what is empty), and unknown members pass, as the service adds them freely.
 */
import { type Static, Type } from "typebox";

const maybe = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) =>
  Type.Optional(Type.Union([schema, Type.Null()]));
const str = () => maybe(Type.String());

const MemberSchema = Type.Object({
  firstName: str(),
  lastName: str(),
  phoneNumber: str(),
  email: str(),
});

export const ReferralSchema = Type.Object({
  id: Type.String(),
  engagementId: str(),
  name: str(),
  externalReferenceId: str(),
  createdDateTime: str(),
  updatedDateTime: Type.String(),
  status: Type.String(),
  substatus: Type.String(),
  statusReason: str(),
  type: str(),
  direction: str(),
  campaignId: str(),
  eTag: Type.String(),
  customerProfile: maybe(
    Type.Object({
      name: str(),
      address: maybe(
        Type.Object({
          addressLine1: str(),
          addressLine2: str(),
          city: str(),
          state: str(),
          postalCode: str(),
          country: str(),
        }),
      ),
      team: maybe(Type.Array(MemberSchema)),
      ids: maybe(Type.Array(Type.Object({ profileType: str(), id: str() }))),
    }),
  ),
  consent: maybe(
    Type.Object({
      consentToToShareInfoWithOthers: maybe(Type.Boolean()),
      consentToContact: maybe(Type.Boolean()),
      consentToShareReferralWithMicrosoftSellers: maybe(Type.Boolean()),
    }),
  ),
  details: maybe(
    Type.Object({
      notes: str(),
      // The PATCH sample sends a string, resources a number: accept both (spec note §3).
      dealValue: maybe(Type.Union([Type.Number(), Type.String()])),
      currency: str(),
      closingDateTime: str(),
      requirements: maybe(
        Type.Object({
          solutions: maybe(
            Type.Array(
              Type.Object({
                id: str(),
                price: maybe(Type.Union([Type.Number(), Type.String()])),
                quantity: maybe(Type.Union([Type.Number(), Type.String()])),
                currency: str(),
              }),
            ),
          ),
        }),
      ),
    }),
  ),
  team: maybe(Type.Array(MemberSchema)),
  inviteContext: maybe(
    Type.Object({
      notes: str(),
      assistanceRequestCode: str(),
    }),
  ),
});
export type Referral = Static<typeof ReferralSchema>;

export const ReferralPageSchema = Type.Object({
  value: Type.Array(Type.Unknown()),
  "@odata.nextLink": Type.Optional(Type.String()),
});

export const ErrorBodySchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    target: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  }),
});

export const TokenAnswerSchema = Type.Object({
  access_token: Type.String(),
  expires_in: Type.Optional(Type.Union([Type.Number(), Type.String()])),
  refresh_token: Type.Optional(Type.String()),
});

/** Partner Center's webhook event: an id pointer, not the data (spec note §1.8). */
export const WebhookEventSchema = Type.Object({
  EventName: Type.String(),
  ResourceUri: Type.String(),
  ResourceName: Type.Optional(Type.String()),
  ResourceChangeUtcDate: Type.Optional(Type.String()),
});
export type WebhookEvent = Static<typeof WebhookEventSchema>;
