//! The small spec the lint and diff tests change one thing in.

use std::path::Path;

pub const GOOD: &str = r##"openapi: 3.0.3
info:
  title: Shop
  version: 1.0.0
servers:
  - url: https://{shop}.example.com/api
    variables:
      shop:
        default: demo
security:
  - key: []
paths:
  /orders/{id}/tracking:
    put:
      operationId: setTracking
      summary: Set tracking
      description: Sets the tracking of an order.
      parameters:
        - name: id
          in: path
          required: true
          description: The order.
          schema:
            type: integer
          example: 7
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Tracking'
            examples:
              ups:
                value:
                  number: 1Z
                  carrier: UPS
      responses:
        '200':
          description: Done.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Receipt'
              examples:
                ok:
                  value:
                    receipt: r-1
                    status: stored
        '404':
          description: No such order.
      x-tracking-numbers: [/number]
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-Key
  schemas:
    Tracking:
      type: object
      additionalProperties: false
      required: [number]
      properties:
        number:
          type: string
        carrier:
          type: string
          enum: [UPS, FedEx]
    Receipt:
      type: object
      required: [receipt]
      properties:
        receipt:
          type: string
        status:
          type: string
"##;

pub fn file() -> &'static Path {
    Path::new("specs/shop.yaml")
}

pub fn with(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from:?} is not in the base spec");
    GOOD.replacen(from, to, 1)
}
